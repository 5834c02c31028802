/**
 * Repositories registered for provider webhooks (migration 0006). The webhook secret is
 * stored sealed (crypto/secret-box.ts) and read back only by the webhook receiver; lists
 * never select it. Registering and deleting are audited in the same batch.
 */
import { type AuditEntry, guardedAuditStatement } from './audit.ts';

export const PROVIDERS = ['github', 'gitlab', 'gitea'] as const;
export type ProviderName = (typeof PROVIDERS)[number];

export interface RepositoryRecord {
  readonly id: string;
  readonly provider: ProviderName;
  readonly repository: string;
  readonly apiBaseUrl: string;
  readonly apiTokenSecretName: string;
  readonly createdBy: string;
  readonly createdAt: string;
}

export interface StoredRepository extends RepositoryRecord {
  readonly webhookSecretSealed: string;
}

interface RepositoryRow {
  id: string;
  provider: ProviderName;
  repository: string;
  api_base_url: string;
  api_token_secret_name: string;
  created_by: string;
  created_at: string;
  webhook_secret_sealed?: string;
}

const COLUMNS = 'id, provider, repository, api_base_url, api_token_secret_name, created_by, created_at';
const EXISTS = 'EXISTS (SELECT 1 FROM repositories WHERE id = ?)';

/** `duplicate` when the provider already has a registration for that path, whatever its case. */
export async function insertRepository(
  db: D1Database,
  repository: StoredRepository,
  audit: AuditEntry,
): Promise<'inserted' | 'duplicate'> {
  const [inserted] = await db.batch([
    db
      .prepare(
        `INSERT INTO repositories (${COLUMNS}, webhook_secret_sealed) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT DO NOTHING`,
      )
      .bind(
        repository.id,
        repository.provider,
        repository.repository,
        repository.apiBaseUrl,
        repository.apiTokenSecretName,
        repository.createdBy,
        repository.createdAt,
        repository.webhookSecretSealed,
      ),
    guardedAuditStatement(db, audit, repository.createdAt, EXISTS, [repository.id]),
  ]);
  return inserted?.meta.changes === 1 ? 'inserted' : 'duplicate';
}

export async function listRepositories(db: D1Database): Promise<RepositoryRecord[]> {
  const { results } = await db
    .prepare(`SELECT ${COLUMNS} FROM repositories ORDER BY id`)
    .all<RepositoryRow>();
  return results.map(toRecord);
}

/** The registration a webhook names, with its sealed secret. */
export async function findRepository(
  db: D1Database,
  provider: ProviderName,
  repository: string,
): Promise<StoredRepository | null> {
  const row = await db
    .prepare(
      `SELECT ${COLUMNS}, webhook_secret_sealed FROM repositories
       WHERE provider = ? AND repository = ? COLLATE NOCASE`,
    )
    .bind(provider, repository)
    .first<Required<RepositoryRow>>();
  return row ? { ...toRecord(row), webhookSecretSealed: row.webhook_secret_sealed } : null;
}

export async function deleteRepository(
  db: D1Database,
  id: string,
  audit: AuditEntry,
  at: string,
): Promise<'deleted' | 'not-found'> {
  const [, deleted] = await db.batch([
    // Audited only when the row is there to delete.
    guardedAuditStatement(db, audit, at, EXISTS, [id]),
    db.prepare('DELETE FROM repositories WHERE id = ?').bind(id),
  ]);
  return deleted?.meta.changes === 1 ? 'deleted' : 'not-found';
}

function toRecord(row: RepositoryRow): RepositoryRecord {
  return {
    id: row.id,
    provider: row.provider,
    repository: row.repository,
    apiBaseUrl: row.api_base_url,
    apiTokenSecretName: row.api_token_secret_name,
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}
