// The TypeScript client generated from the published document, against a running API: GRANTS_URL and a
// ministry token in GRANTS_MINISTRY_TOKEN (tests/Grants.Functions.Tests/Platform/TypeScriptClientTests
// compiles this and runs it with node --test).
import { test } from "node:test";
import assert from "node:assert/strict";
import { createGrantsClient } from "../../clients/typescript/dist/index.js";

const baseUrl = process.env.GRANTS_URL ?? "";
const client = createGrantsClient(baseUrl, process.env.GRANTS_MINISTRY_TOKEN);

test("a ministry user creates a voucher scheme and reads it back", async () => {
  const name = `TypeScript scheme ${crypto.randomUUID().slice(0, 8)}`;
  const created = await client.POST("/api/schemes", { body: { name, instrument: "Voucher" } });
  assert.equal(created.response.status, 201);
  assert.ok(created.data);

  const read = await client.GET("/api/schemes/{schemeId}", { params: { path: { schemeId: created.data.id } } });
  assert.equal(read.data?.name, name);
  assert.equal(read.data?.instrument, "Voucher");
  assert.equal(read.data?.status, "Active");
});

test("a scheme that does not exist is a not-found problem", async () => {
  const missing = await client.GET("/api/schemes/{schemeId}", { params: { path: { schemeId: `scheme-${"0".repeat(32)}` } } });
  assert.equal(missing.response.status, 404);
  assert.equal(missing.error?.type, "urn:grants:problem:not-found");
});

test("without a token the API answers unauthenticated", async () => {
  const anonymous = createGrantsClient(baseUrl);
  const refused = await anonymous.GET("/api/schemes");
  assert.equal(refused.response.status, 401);
  assert.equal(refused.error?.type, "urn:grants:problem:unauthenticated");
});
