import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { login } from '../../api/account';
import { ApiRequestError } from '../../api/http';
import { queryKeys } from '../../api/queryKeys';
import { ErrorNotice } from '../../components/Feedback';
import { useI18n } from '../../components/i18n/I18nProvider';
import { useMe } from './useSession';

/** Only same-site paths are followed after sign-in (never an open redirect). */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

/** Sign-in with e-mail and password. */
export function SignInPage() {
  const { t, setLanguage } = useI18n();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const client = useQueryClient();
  const me = useMe();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const emailRef = useRef<HTMLInputElement>(null);
  useEffect(() => emailRef.current?.focus(), []);
  const mutation = useMutation({
    mutationFn: login,
    onSuccess: ({ user }) => {
      client.setQueryData(queryKeys.me, user);
      setLanguage(user.language);
      navigate(safeNext(params.get('next')), { replace: true });
    },
  });
  if (me.data) return <Navigate to={safeNext(params.get('next'))} replace />;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    mutation.mutate({ email: email.trim(), password });
  };
  return (
    <section className="narrow card" aria-labelledby="signin-title">
      <h1 id="signin-title">{t('signIn.title')}</h1>
      <p className="muted">{t('signIn.intro')}</p>
      <form onSubmit={submit} className="form" noValidate data-ready="true">
        <label className="field">
          <span>{t('signIn.email')}</span>
          <input ref={emailRef} type="email" name="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        <label className="field">
          <span>{t('signIn.password')}</span>
          <input type="password" name="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        {mutation.error instanceof ApiRequestError && mutation.error.status === 401 ? (
          <div className="notice notice-error" role="alert">
            <p>{t('signIn.failed')}</p>
          </div>
        ) : (
          mutation.error && <ErrorNotice error={mutation.error} />
        )}
        <button type="submit" className="primary" disabled={mutation.isPending || !email || !password}>
          {mutation.isPending ? t('signIn.working') : t('signIn.submit')}
        </button>
      </form>
    </section>
  );
}
