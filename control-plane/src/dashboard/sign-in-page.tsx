/**
 * The sign-in page: a form posting email and password to /auth/login, with the message
 * of a failed attempt. The email typed is kept; the password never is.
 */
import { Layout } from './layout.tsx';

export function SignInPage({ message, email }: { readonly message?: string; readonly email?: string }) {
  return (
    <Layout title="Sign in">
      <main>
        <h1>Sign in to Edgeway</h1>
        {message && <p role="alert">{message}</p>}
        <form method="post" action="/auth/login">
          <label>
            Email <input type="email" name="email" value={email ?? ''} autocomplete="username" required />
          </label>
          <label>
            Password <input type="password" name="password" autocomplete="current-password" required />
          </label>
          <button type="submit">Sign in</button>
        </form>
      </main>
    </Layout>
  );
}
