/** The providers whose push webhooks deploy, by name: one module each, one line here. */
import type { ProviderName } from '../../store/repositories.ts';
import type { Provider } from '../provider.ts';
import { gitea } from './gitea.ts';
import { github } from './github.ts';
import { gitlab } from './gitlab.ts';

export const providers: Readonly<Record<ProviderName, Provider>> = { github, gitlab, gitea };
