/** JSON Schema of a saved inventory (`podtrust collect`). */
import { CREDENTIAL_KINDS } from './types.js';

const position = {
  type: 'object',
  required: ['line', 'column', 'endLine', 'endColumn'],
  properties: {
    file: { type: 'string' },
    line: { type: 'integer', minimum: 1 },
    column: { type: 'integer', minimum: 1 },
    endLine: { type: 'integer', minimum: 1 },
    endColumn: { type: 'integer', minimum: 1 },
  },
  additionalProperties: false,
} as const;

export const inventorySchema = {
  $id: 'https://podtrust.dev/schemas/inventory-v2.json',
  type: 'object',
  required: ['version', 'resources', 'clusters', 'notes'],
  additionalProperties: false,
  // Version 1 (no fleet coverage) is still read; fleet coverage needs version 2.
  if: { required: ['fleet'] },
  then: { properties: { version: { const: 2 } } },
  properties: {
    version: { enum: [1, 2] },
    fleet: {
      type: 'object',
      required: ['shard', 'targets', 'covered'],
      additionalProperties: false,
      properties: {
        shard: {
          type: 'object',
          required: ['index', 'count'],
          additionalProperties: false,
          properties: { index: { type: 'integer', minimum: 0 }, count: { type: 'integer', minimum: 1 } },
        },
        targets: { type: 'array', items: { type: 'string' } },
        covered: { type: 'array', items: { type: 'string' } },
      },
    },
    resources: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'type', 'name', 'file', 'format', 'body', 'positions'],
        additionalProperties: false,
        properties: {
          id: { type: 'string', minLength: 1 },
          type: { type: 'string', minLength: 1 },
          name: { type: 'string' },
          namespace: { type: 'string' },
          file: { type: 'string' },
          format: { enum: ['kubernetes', 'iam-json', 'terraform', 'terraform-plan', 'cloudformation', 'arm', 'cli-json', 'eksctl', 'live'] },
          address: { type: 'string' },
          body: {},
          positions: { type: 'object', additionalProperties: position },
          cluster: { type: 'string' },
          logicalLocation: { type: 'string' },
          suppressions: {
            type: 'array',
            items: {
              type: 'object',
              required: ['ruleId', 'justification', 'pointer'],
              additionalProperties: false,
              properties: { ruleId: { type: 'string' }, justification: { type: 'string' }, pointer: { type: 'string' }, position },
            },
          },
          via: {
            type: 'object',
            required: ['file', 'position', 'module'],
            additionalProperties: false,
            properties: {
              file: { type: 'string' },
              position,
              module: { type: 'string' },
              definedAt: { type: 'object', required: ['file', 'position'], additionalProperties: false, properties: { file: { type: 'string' }, position } },
              assumption: { type: 'string' },
            },
          },
          generated: { type: 'array', items: { type: 'string' } },
          credentials: {
            type: 'array',
            items: {
              type: 'object',
              required: ['kind', 'key', 'pointer', 'form'],
              additionalProperties: false,
              properties: {
                kind: { enum: CREDENTIAL_KINDS },
                key: { type: 'string' },
                pointer: { type: 'string' },
                form: { type: 'string' },
                // Never more than the first 4 characters of an identifier that is not secret.
                idPrefix: { type: 'string', maxLength: 4 },
              },
            },
          },
        },
      },
    },
    clusters: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name'],
        additionalProperties: false,
        properties: {
          name: { type: 'string' },
          provider: { enum: ['aws', 'azure', 'gcp', 'other'] },
          issuer: { type: 'string' },
          resourceId: { type: 'string' },
          account: { type: 'string' },
          environment: { type: 'string' },
          complete: { type: 'boolean' },
          workloadPool: { type: 'string' },
        },
      },
    },
    notes: {
      type: 'array',
      items: {
        type: 'object',
        required: ['kind', 'level', 'message'],
        additionalProperties: false,
        properties: {
          kind: { type: 'string' },
          level: { enum: ['error', 'warning', 'note'] },
          message: { type: 'string' },
          file: { type: 'string' },
          line: { type: 'integer' },
          column: { type: 'integer' },
        },
      },
    },
  },
} as const;
