import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { LANGUAGES, type Language } from '../../../shared/enums';
import { LIMITS } from '../../../shared/limits';
import { changePassword, updateProfile } from '../../api/account';
import type { MeDto } from '../../api/dto';
import { queryKeys } from '../../api/queryKeys';
import { ErrorNotice, Notice } from '../../components/Feedback';
import { browserTimeZone } from '../../components/i18n/format';
import { useI18n } from '../../components/i18n/I18nProvider';
import { TimeZoneSelect } from '../../components/TimeZoneSelect';
import { useMe } from '../auth/useSession';

function ProfileForm({ me }: { me: MeDto }) {
  const { t, fmt, setLanguage } = useI18n();
  const client = useQueryClient();
  const [name, setName] = useState(me.name);
  const [institution, setInstitution] = useState(me.institution ?? '');
  const [language, setLang] = useState<Language>(me.language);
  const [timeZone, setTimeZone] = useState(me.timeZone);
  const save = useMutation({
    mutationFn: () =>
      updateProfile({ name: name.trim(), language, timeZone, ...(institution.trim() ? { institution: institution.trim() } : {}) }),
    onSuccess: ({ user }) => {
      client.setQueryData<MeDto>(queryKeys.me, user);
      setLanguage(user.language);
      // Deadlines in every list are shown in the new zone.
      client.invalidateQueries({ predicate: (query) => query.queryKey[0] !== 'me' });
    },
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  const now = new Date();
  return (
    <form className="form card" onSubmit={onSubmit} aria-labelledby="profile-title">
      <h2 id="profile-title">{t('profile.details')}</h2>
      <p className="muted">{t('profile.email', { email: me.email })}</p>
      <label className="field">
        <span>{t('profile.name')}</span>
        <input value={name} required maxLength={LIMITS.shortText} onChange={(e) => setName(e.target.value)} autoComplete="name" />
      </label>
      <label className="field">
        <span>{t('profile.institution')}</span>
        <input value={institution} maxLength={LIMITS.shortText} onChange={(e) => setInstitution(e.target.value)} placeholder={t('profile.institutionHint')} autoComplete="organization" />
      </label>
      <label className="field">
        <span>{t('profile.language')}</span>
        <select value={language} onChange={(e) => setLang(e.target.value as Language)}>
          {LANGUAGES.map((lang) => (
            <option key={lang} value={lang}>
              {t(`language.${lang}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{t('profile.timeZone')}</span>
        <TimeZoneSelect value={timeZone} onChange={setTimeZone} />
      </label>
      <p className="muted">
        {t('profile.zonePreview', { time: fmt.dateTime(now, timeZone) })}
        {timeZone !== browserTimeZone() && (
          <>
            {' '}
            <button type="button" className="link-button" onClick={() => setTimeZone(browserTimeZone())}>
              {t('profile.useDeviceZone', { zone: browserTimeZone() })}
            </button>
          </>
        )}
      </p>
      {save.error && <ErrorNotice error={save.error} />}
      {save.isSuccess && <Notice tone="success">{t('profile.saved')}</Notice>}
      <button type="submit" className="primary" disabled={save.isPending || !name.trim()}>
        {t('profile.save')}
      </button>
    </form>
  );
}

function PasswordForm() {
  const { t } = useI18n();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const change = useMutation({
    mutationFn: () => changePassword({ currentPassword: current, newPassword: next }),
    onSuccess: () => {
      setCurrent('');
      setNext('');
      setRepeat('');
    },
  });
  const mismatch = repeat !== '' && next !== repeat;
  const tooShort = next !== '' && next.length < LIMITS.minPasswordLength;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!mismatch && !tooShort) change.mutate();
  };
  return (
    <form className="form card" onSubmit={onSubmit} aria-labelledby="password-title">
      <h2 id="password-title">{t('profile.passwordTitle')}</h2>
      <label className="field">
        <span>{t('profile.currentPassword')}</span>
        <input type="password" autoComplete="current-password" required value={current} onChange={(e) => setCurrent(e.target.value)} />
      </label>
      <label className="field">
        <span>{t('profile.newPassword', { min: LIMITS.minPasswordLength })}</span>
        <input type="password" autoComplete="new-password" required minLength={LIMITS.minPasswordLength} value={next} onChange={(e) => setNext(e.target.value)} aria-invalid={tooShort} />
      </label>
      <label className="field">
        <span>{t('profile.repeatPassword')}</span>
        <input type="password" autoComplete="new-password" required value={repeat} onChange={(e) => setRepeat(e.target.value)} aria-invalid={mismatch} />
      </label>
      {tooShort && <p className="field-error">{t('profile.passwordTooShort', { min: LIMITS.minPasswordLength })}</p>}
      {mismatch && <p className="field-error">{t('profile.passwordMismatch')}</p>}
      {change.error && <ErrorNotice error={change.error} />}
      {change.isSuccess && <Notice tone="success">{t('profile.passwordChanged')}</Notice>}
      <button type="submit" disabled={change.isPending || !current || !next || mismatch || tooShort}>
        {t('profile.changePassword')}
      </button>
    </form>
  );
}

/** My profile: name, institution, interface language, time zone, and password. */
export function ProfilePage() {
  const { t } = useI18n();
  const me = useMe();
  if (!me.data) return null;
  return (
    <section className="narrow stack" aria-labelledby="profile-heading">
      <h1 id="profile-heading">{t('profile.title')}</h1>
      <ProfileForm me={me.data} />
      <PasswordForm />
    </section>
  );
}
