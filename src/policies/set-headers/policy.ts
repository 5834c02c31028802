/**
 * `set-headers`: edits request headers inbound and response headers outbound. The edit
 * list is fixed at deployment load; per request it edits the message's headers in place,
 * which the pipeline guarantees are mutable (src/policies/contract.ts).
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
      edit(request.headers);
      return request;
    },
    async outbound(response) {
      edit(response.headers);
      return response;
    },
  };
};
