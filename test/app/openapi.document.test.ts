import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { useApp } from '../support/app.js';

/**
 * The rules every operation of Waybill's own OpenAPI document keeps, so SDK generators and
 * newcomers reading /docs get the same quality from every area. They apply to routes added
 * later too: a new route without an operationId, a description or examples fails here.
 */

interface Media {
  schema?: Record<string, unknown>;
  example?: unknown;
  examples?: Record<string, { value: unknown }>;
}
interface Operation {
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  requestBody?: { required?: boolean; content: Record<string, Media> };
  responses: Record<string, { description: string; content?: Record<string, Media> }>;
}
interface Document {
  info: { title: string };
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, { type: string; scheme?: string }> };
}

const ctx = useApp();
let doc: Document;
let operations: { name: string; op: Operation }[];
const ajv = new Ajv2020.default({ strict: false, allErrors: true });
addFormats.default(ajv);
ajv.addFormat('binary', true);

beforeAll(async () => {
  doc = (await ctx.app.inject({ method: 'GET', url: '/openapi.json' })).json();
  ajv.addSchema({ $id: 'waybill', components: doc.components });
  operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ name: `${method.toUpperCase()} ${path}`, op })),
  );
});

/** The examples a media object gives, wherever OpenAPI 3.1 allows them (a referenced component's own included). */
function examplesOf(media: Media): unknown[] {
  const found: unknown[] = [];
  if (media.example !== undefined) found.push(media.example);
  for (const e of Object.values(media.examples ?? {})) found.push(e.value);
  const ref = media.schema?.$ref;
  const component = typeof ref === 'string' ? (doc.components.schemas[ref.replace('#/components/schemas/', '')] as Record<string, unknown>) : undefined;
  for (const schema of [media.schema, component]) found.push(...((schema?.examples as unknown[] | undefined) ?? []));
  return found;
}

/** Why an example does not fit its schema (empty when it does); refs resolve into the document's components. */
function mismatches(schema: Record<string, unknown>, value: unknown): string[] {
  const rebased = JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"waybill#/components/'));
  const validate = ajv.compile(rebased);
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
}

const isJson = (type: string) => type === 'application/json';

describe("Waybill's OpenAPI document", () => {
  it('names itself Waybill and lists operations', () => {
    expect(doc.info.title).toMatch(/Waybill/);
    expect(operations.length).toBeGreaterThan(30);
  });

  it('gives every operation a unique camelCase operationId, a summary, a description and a tag', () => {
    const problems = operations.flatMap(({ name, op }) => [
      ...(op.operationId && /^[a-z][a-zA-Z0-9]*$/.test(op.operationId) ? [] : [`${name}: operationId "${op.operationId}" is missing or not camelCase`]),
      ...(op.summary?.trim() ? [] : [`${name}: no summary`]),
      ...(op.description?.trim() ? [] : [`${name}: no description`]),
      ...(op.tags?.length ? [] : [`${name}: no tag`]),
    ]);
    expect(problems).toEqual([]);
    const ids = operations.map(({ op }) => op.operationId);
    expect(
      ids.filter((id, i) => ids.indexOf(id) !== i),
      'repeated operationIds',
    ).toEqual([]);
  });

  it('gives every JSON request body an example its schema accepts', () => {
    const problems = operations.flatMap(({ name, op }) =>
      Object.entries(op.requestBody?.content ?? {})
        .filter(([type]) => isJson(type))
        .flatMap(([type, media]) => {
          const examples = examplesOf(media);
          if (!examples.length) return [`${name} ${type}: no request example`];
          return examples.flatMap((example) => mismatches(media.schema ?? {}, example).map((m) => `${name} request example: ${m}`));
        }),
    );
    expect(problems).toEqual([]);
  });

  it('gives every success response with content an example its schema accepts', () => {
    const problems = operations.flatMap(({ name, op }) => {
      const successes = Object.entries(op.responses).filter(([status]) => /^2/.test(status));
      if (!successes.length) return [`${name}: no success response`];
      return successes.flatMap(([status, response]) =>
        Object.entries(response.content ?? {}).flatMap(([type, media]) => {
          const examples = examplesOf(media);
          if (!examples.length) return [`${name} ${status} ${type}: no response example`];
          if (!isJson(type)) return [];
          return examples.flatMap((example) => mismatches(media.schema ?? {}, example).map((m) => `${name} ${status} example: ${m}`));
        }),
      );
    });
    expect(problems).toEqual([]);
  });

  it('describes every response, and every error as the JSON error envelope', () => {
    const problems = operations.flatMap(({ name, op }) =>
      Object.entries(op.responses).flatMap(([status, response]) => {
        const out = response.description && response.description !== 'Default Response' ? [] : [`${name} ${status}: no description`];
        if (!/^[45]/.test(status)) return out;
        const types = Object.keys(response.content ?? {});
        const envelope = response.content?.['application/json']?.schema?.$ref === '#/components/schemas/ValidationErrorResponse';
        return types.length === 1 && envelope ? out : [...out, `${name} ${status}: not the JSON error envelope (${types.join(', ')})`];
      }),
    );
    expect(problems).toEqual([]);
  });

  it('documents the statuses every authenticated, rate-limited or body-reading route can answer', () => {
    const probes = new Set(['GET /health', 'GET /ready']);
    const problems = operations
      .filter(({ name }) => !probes.has(name))
      .flatMap(({ name, op }) => {
        const expected = ['400', '401', '429', ...(/^(POST|PUT|PATCH|DELETE) /.test(name) ? ['413', '415'] : [])];
        return expected.filter((s) => !(s in op.responses)).map((s) => `${name}: ${s} not documented`);
      });
    expect(problems).toEqual([]);
  });

  it('documents the token call with HTTP Basic, a form and a JSON body, and without Bearer security', () => {
    const token = doc.paths['/v1/auth/token']?.post;
    expect(token?.requestBody?.required).toBe(false);
    expect(Object.keys(token?.requestBody?.content ?? {}).sort()).toEqual(['application/json', 'application/x-www-form-urlencoded']);
    const schemes = (token?.security ?? []).flatMap((s) => Object.keys(s));
    expect(schemes.length).toBeGreaterThan(0);
    for (const scheme of schemes) expect(doc.components.securitySchemes[scheme]?.scheme).toBe('basic');
  });

  it('documents /health and /ready, without credentials', () => {
    for (const path of ['/health', '/ready']) {
      expect(doc.paths[path]?.get?.security).toEqual([]);
    }
    expect(Object.keys(doc.paths['/ready']?.get?.responses ?? {})).toContain('503');
  });

  it('documents the download as bytes and its errors as JSON', () => {
    const download = doc.paths['/v1/documents/document/{id}/download']?.get;
    expect(Object.keys(download?.responses['200']?.content ?? {})).toEqual(['application/octet-stream']);
    expect(Object.keys(download?.responses['404']?.content ?? {})).toEqual(['application/json']);
  });

  it("serves the reference page under Waybill's title", async () => {
    const page = await ctx.app.inject({ method: 'GET', url: '/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/<title>Waybill[^<]*<\/title>/);
  });
});
