import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { LANGUAGES, ROLES, type Language, type Role } from '../../../shared/enums';
import { JST_AGENCY_CODE } from '../../../shared/programmes';
import { createInvitation, fetchMembers, removeMember } from '../../api/calls';
import { queryKeys } from '../../api/queryKeys';
import { ErrorNotice, Notice, QueryState } from '../../components/Feedback';
import { useI18n } from '../../components/i18n/I18nProvider';
import { useViewerZone } from '../auth/useSession';
import { allows, useCall, useCallId } from '../calls/useCall';

/** The agency a role implies, when it implies one. */
function defaultAgency(role: Role, agencies: string[]): string {
  if (role === 'pd' || role === 'po') return JST_AGENCY_CODE;
  if (role === 'officer') return agencies.find((code) => code !== JST_AGENCY_CODE) ?? '';
  if (role === 'reviewer') return agencies[0] ?? '';
  return '';
}

/** People and roles of the call, open invitations, and inviting someone (the link is shown: there is no mail). */
export function PeoplePage() {
  const { t, fmt, language } = useI18n();
  const zone = useViewerZone();
  const client = useQueryClient();
  const callId = useCallId();
  const call = useCall(callId);
  const members = useQuery({ queryKey: queryKeys.members(callId), queryFn: () => fetchMembers(callId) });
  const agencies = call.data?.agencies.map((agency) => agency.code) ?? [];
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('reviewer');
  const [agency, setAgency] = useState('');
  const [inviteLanguage, setInviteLanguage] = useState<Language>(language);
  const invite = useMutation({
    mutationFn: () =>
      createInvitation(callId, { email: email.trim(), role, language: inviteLanguage, ...((agency || defaultAgency(role, agencies)) ? { agency: agency || defaultAgency(role, agencies) } : {}) }),
    onSuccess: () => {
      setEmail('');
      client.invalidateQueries({ queryKey: queryKeys.members(callId) });
    },
  });
  const remove = useMutation({
    mutationFn: (userId: string) => removeMember(callId, userId),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.members(callId) }),
  });
  const onInvite = (event: FormEvent) => {
    event.preventDefault();
    invite.mutate();
  };
  const link = invite.data ? `${window.location.origin}${invite.data.link}` : null;
  return (
    <div className="stack">
      <h2>{t('people.title')}</h2>
      <QueryState query={members}>
        {({ members: list, invitations }) => (
          <>
            <table className="plain">
              <caption>{t('people.members', { count: list.length })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('people.name')}</th>
                  <th scope="col">{t('people.role')}</th>
                  <th scope="col">{t('proposal.agency')}</th>
                  <th scope="col">{t('people.contact')}</th>
                  {allows(call.data, 'membership:write') && <th scope="col">{t('common.actions')}</th>}
                </tr>
              </thead>
              <tbody>
                {list.map((member) => (
                  <tr key={member.userId}>
                    <td>{member.name}</td>
                    <td>{t(`role.${member.role}`)}</td>
                    <td>{member.agency ?? '–'}</td>
                    <td>{[member.email, member.institution].filter(Boolean).join(' · ') || '–'}</td>
                    {allows(call.data, 'membership:write') && (
                      <td>
                        <button
                          type="button"
                          disabled={remove.isPending}
                          onClick={() => window.confirm(t('people.confirmRemove', { name: member.name })) && remove.mutate(member.userId)}
                        >
                          {t('people.remove', { name: member.name })}
                        </button>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
            {remove.error && <ErrorNotice error={remove.error} />}
            {invitations && (
              <table className="plain">
                <caption>{t('people.openInvitations', { count: invitations.length })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('people.email')}</th>
                    <th scope="col">{t('people.role')}</th>
                    <th scope="col">{t('proposal.agency')}</th>
                    <th scope="col">{t('people.expires')}</th>
                  </tr>
                </thead>
                <tbody>
                  {invitations.map((invitation) => (
                    <tr key={invitation.id}>
                      <td>{invitation.email}</td>
                      <td>{t(`role.${invitation.role}`)}</td>
                      <td>{invitation.agency ?? '–'}</td>
                      <td>{fmt.dateTime(invitation.expiresAt, zone)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </>
        )}
      </QueryState>
      {allows(call.data, 'person:invite') && (
        <form className="form card" onSubmit={onInvite} aria-labelledby="invite-title">
          <h3 id="invite-title">{t('people.inviteTitle')}</h3>
          <label className="field">
            <span>{t('people.email')}</span>
            <input type="email" name="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
          </label>
          <label className="field inline">
            <span>{t('people.role')}</span>
            <select name="role" value={role} onChange={(e) => { setRole(e.target.value as Role); setAgency(''); }}>
              {ROLES.map((option) => (
                <option key={option} value={option}>
                  {t(`role.${option}`)}
                </option>
              ))}
            </select>
          </label>
          <label className="field inline">
            <span>{t('proposal.agency')}</span>
            <select name="agency" value={agency || defaultAgency(role, agencies)} onChange={(e) => setAgency(e.target.value)}>
              <option value="">{t('people.noAgency')}</option>
              {agencies.map((code) => (
                <option key={code} value={code}>
                  {code}
                </option>
              ))}
            </select>
          </label>
          <label className="field inline">
            <span>{t('people.inviteLanguage')}</span>
            <select name="language" value={inviteLanguage} onChange={(e) => setInviteLanguage(e.target.value as Language)}>
              {LANGUAGES.map((lang) => (
                <option key={lang} value={lang}>
                  {t(`language.${lang}`)}
                </option>
              ))}
            </select>
          </label>
          {invite.error && <ErrorNotice error={invite.error} />}
          <button type="submit" className="primary" disabled={!email.trim() || invite.isPending}>
            {t('people.invite')}
          </button>
          {link && (
            <Notice tone="success">
              <p>{t('people.linkCreated')}</p>
              <p>
                <input className="link-output" readOnly value={link} aria-label={t('people.linkLabel')} onFocus={(e) => e.target.select()} data-testid="invitation-link" />
              </p>
            </Notice>
          )}
        </form>
      )}
    </div>
  );
}
