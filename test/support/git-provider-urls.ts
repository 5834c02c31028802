/**
 * What the fake Git provider (test/support/fake-git-provider.ts) provides to the control
 * plane's workerd tests. Kept free of Node imports: the workerd tests import it too.
 */
export interface FakeGitProvider {
  /** GitHub's API shape: `GET /repos/{owner}/{repo}/tarball/{sha}` redirects to `codeload`. */
  readonly githubApi: string;
  /** GitLab's API shape: `GET /projects/{path}/repository/archive.tar.gz?sha=`. */
  readonly gitlabApi: string;
  /** Gitea's and Forgejo's API shape: `GET /repos/{owner}/{repo}/archive/{sha}.tar.gz`. */
  readonly giteaApi: string;
  /** The API token the fake accepts, and the Worker binding that holds it in tests. */
  readonly token: string;
  readonly tokenSecretName: string;
  /** Commits of the real repository behind the fake, by branch. */
  readonly commits: {
    /** edgeway.yaml tags responses `x-commit: main`; also a README and a long-named JSON file. */
    readonly main: string;
    /** edgeway.yaml tags responses `x-commit: feature`. */
    readonly feature: string;
    /** edgeway.yaml does not compile. */
    readonly broken: string;
    /** More config files than a deployment may hold. */
    readonly crowded: string;
  };
  /** A file at a path too long for a ustar header, so `git archive` writes a pax header. */
  readonly longPath: string;
  /** `git archive --format=tar --prefix=repo/` of the main commit, base64. */
  readonly mainTarBase64: string;
}

declare module 'vitest' {
  interface ProvidedContext {
    fakeGitProvider: FakeGitProvider;
  }
}
