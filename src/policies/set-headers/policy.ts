/**
 * `set-headers`: edits request headers inbound and response headers outbound. The edit
 * list is fixed at deployment load; per request it only copies and edits a Headers.
 */
import type { PolicyFactory } from '../contract.ts';
import type { SetHeadersOptions } from './schema.ts';

type HeaderEdit = (headers: Headers) => void;

function compileEdits(options: SetHeadersOptions): HeaderEdit {
  const remove = options.remove;
  const set = Object.entries(options.set);
  const append = Object.entries(options.append);
  return function applyHeaderEdits(headers) {
    for (const name of remove) headers.delete(name);
    for (const [name, value] of set) headers.set(name, value);
    for (const [name, value] of append) headers.append(name, value);
  };
}

export const create: PolicyFactory<SetHeadersOptions> = (options) => {
  const edit = compileEdits(options);
  return {
    async inbound(request) {
      const headers = new Headers(request.headers);
      edit(headers);
      return new Request(request, { headers });
    },
    async outbound(response) {
      const headers = new Headers(response.headers);
      edit(headers);
      return new Response(response.body, {
        status: response.status,
        statusText: response.statusText,
        headers,
      });
    },
  };
};
