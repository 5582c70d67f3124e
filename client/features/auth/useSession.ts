import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Language } from '../../../shared/enums';
import { fetchMe, logout, updateProfile } from '../../api/account';
import type { MeDto } from '../../api/dto';
import { ApiRequestError } from '../../api/http';
import { queryKeys } from '../../api/queryKeys';
import { forgetReviewDrafts } from '../proposal/reviewDraft';

/** The signed-in person, or null when there is no session (a 401 is an answer, not an error). */
export function useMe() {
  return useQuery({
    queryKey: queryKeys.me,
    queryFn: async (): Promise<MeDto | null> => {
      try {
        return (await fetchMe()).user;
      } catch (error) {
        if (error instanceof ApiRequestError && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: 5 * 60_000,
  });
}

/** Signs out and forgets every cached answer (they belonged to the previous person). */
export function useSignOut() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: logout,
    onSettled: () => {
      // Unsaved review changes kept in this tab belong to the person leaving.
      forgetReviewDrafts();
      client.clear();
      client.setQueryData(queryKeys.me, null);
    },
  });
}

/** Saves the interface language to the profile of a signed-in person. */
export function usePersistLanguage() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (language: Language) => updateProfile({ language }),
    onSuccess: ({ user }) => {
      client.setQueryData<MeDto | null>(queryKeys.me, (me) => (me ? { ...me, language: user.language } : me));
    },
  });
}

/** The zone times are shown in: the profile's, else the browser's. */
export function useViewerZone(): string {
  const me = useMe();
  return me.data?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC';
}
