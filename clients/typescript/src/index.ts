// The Grants API as typed functions: paths, bodies, responses and problems as the OpenAPI document
// (contracts/openapi.json) declares them. schema.ts is generated from the document (npm run generate).
import createClient, { type Client } from "openapi-fetch";
import type { components, paths } from "./schema.js";

export type { components, paths } from "./schema.js";

/** A client of the API at `baseUrl` (e.g. http://localhost:7071), sending `token` as its bearer token. */
export function createGrantsClient(baseUrl: string, token?: string): Client<paths> {
  return createClient<paths>({
    baseUrl,
    headers: token ? { Authorization: `Bearer ${token}` } : {},
  });
}

/** Every problem document the API answers with: its `type` says which kind (urn:grants:problem:…). */
export type Problem = components["schemas"][Extract<keyof components["schemas"], `Problem${number}${string}`>];
