import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { LIMITS } from '../../../shared/limits';
import { acceptInvitation, fetchInvitation } from '../../api/account';
import { queryKeys } from '../../api/queryKeys';
import { ErrorNotice, QueryState } from '../../components/Feedback';
import { browserTimeZone } from '../../components/i18n/format';
import { useI18n } from '../../components/i18n/I18nProvider';
import { LocalizedText } from '../../components/Localized';
import { TimeZoneSelect } from '../../components/TimeZoneSelect';
import { useMe } from '../auth/useSession';

/** Accepting an invitation: a new account (name, password, zone) or the role added to the signed-in one. */
export function InvitationPage() {
  const { t, fmt, language, setLanguage } = useI18n();
  const { token = '' } = useParams();
  const navigate = useNavigate();
  const client = useQueryClient();
  const me = useMe();
  const invitation = useQuery({ queryKey: queryKeys.invitation(token), queryFn: async () => (await fetchInvitation(token)).invitation });
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [institution, setInstitution] = useState('');
  const [timeZone, setTimeZone] = useState(browserTimeZone);
  const accept = useMutation({
    mutationFn: (withAccount: boolean) =>
      acceptInvitation(
        token,
        withAccount ? { name: name.trim(), password, timeZone, language, ...(institution.trim() ? { institution: institution.trim() } : {}) } : {},
      ),
    onSuccess: ({ user, callId }) => {
      client.setQueryData(queryKeys.me, { id: user.id, email: user.email, name: user.name, isAdmin: user.isAdmin, language: user.language, timeZone: user.timeZone });
      client.invalidateQueries({ queryKey: queryKeys.calls });
      setLanguage(user.language);
      navigate(`/calls/${callId}`);
    },
  });
  const onCreate = (event: FormEvent) => {
    event.preventDefault();
    accept.mutate(true);
  };
  const zone = me.data?.timeZone ?? timeZone;
  return (
    <section className="narrow card" aria-labelledby="invite-heading">
      <h1 id="invite-heading">{t('invite.title')}</h1>
      <QueryState query={invitation}>
        {(inv) => (
          <>
            <p>{t('invite.intro', { role: t(`role.${inv.role}`), agency: inv.agency ?? '–' })}</p>
            <p className="invite-call">
              <strong>
                <LocalizedText text={inv.call.title} />
              </strong>
            </p>
            <dl className="facts">
              <dt>{t('people.email')}</dt>
              <dd>{inv.email}</dd>
              <dt>{t('invite.expires')}</dt>
              <dd>{fmt.dateTime(inv.expiresAt, zone)}</dd>
            </dl>
            {accept.error && <ErrorNotice error={accept.error} />}
            {inv.accountExists ? (
              me.data ? (
                <button type="button" className="primary" disabled={accept.isPending} onClick={() => accept.mutate(false)}>
                  {t('invite.acceptSignedIn', { name: me.data.name })}
                </button>
              ) : (
                <p>
                  {t('invite.signInFirst')} <Link to={`/signin?next=${encodeURIComponent(`/invite/${token}`)}`}>{t('signIn.title')}</Link>
                </p>
              )
            ) : (
              <form className="form" onSubmit={onCreate}>
                <label className="field">
                  <span>{t('profile.name')}</span>
                  <input required value={name} maxLength={LIMITS.shortText} onChange={(e) => setName(e.target.value)} autoComplete="name" />
                </label>
                <label className="field">
                  <span>{t('profile.institution')}</span>
                  <input value={institution} maxLength={LIMITS.shortText} onChange={(e) => setInstitution(e.target.value)} autoComplete="organization" />
                </label>
                <label className="field">
                  <span>{t('profile.newPassword', { min: LIMITS.minPasswordLength })}</span>
                  <input type="password" required minLength={LIMITS.minPasswordLength} value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" />
                </label>
                <label className="field">
                  <span>{t('profile.timeZone')}</span>
                  <TimeZoneSelect value={timeZone} onChange={setTimeZone} />
                </label>
                <button type="submit" className="primary" disabled={accept.isPending || !name.trim() || password.length < LIMITS.minPasswordLength}>
                  {t('invite.createAndAccept')}
                </button>
              </form>
            )}
          </>
        )}
      </QueryState>
    </section>
  );
}
