import { GraphQLObjectType, GraphQLSchema, GraphQLString, type GraphQLScalarType } from 'graphql';
import { createYoga } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { schema } from '../../src/schema/index.js';
import { useArgumentNamingValidation } from '../../src/server/validation.js';

// No field of this foundation takes these scalars yet, so a probe schema borrows the real scalar
// types and the real validation plugin, and echoes what each argument parsed to.
const scalar = (name: string) => schema.getType(name) as GraphQLScalarType;
const probeSchema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: 'Query',
    fields: {
      probe: {
        type: GraphQLString,
        args: {
          at: { type: scalar('DateTime') },
          day: { type: scalar('Date') },
          zone: { type: scalar('TimeZone') },
          pct: { type: scalar('Percentage') },
        },
        resolve: (_root, args) => JSON.stringify(args),
      },
    },
  }),
  types: [scalar('Percentage')],
});
const yoga = createYoga({ schema: probeSchema, plugins: [useArgumentNamingValidation()], logging: false });

async function run(query: string, variables?: Record<string, unknown>) {
  const response = await yoga.fetch('http://yoga/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: { probe: string }; errors?: { message: string; extensions: Record<string, unknown> }[] };
}

describe('scalars', () => {
  it('parse valid values', async () => {
    const result = await run(`{ probe(at: "2026-06-01T08:00:00+07:00", day: "2028-02-29", zone: "America/New_York", pct: "64.69") }`);
    expect(JSON.parse(result.data!.probe)).toEqual({
      at: '2026-06-01T01:00:00.000Z',
      day: '2028-02-29',
      zone: 'America/New_York',
      pct: '64.69',
    });
  });

  it.each([
    ['at', '"2026-06-01T25:00:00"', 'DateTime cannot represent "2026-06-01T25:00:00": not a real date-time (expected e.g. 2026-06-01T08:00:00+07:00)'],
    ['at', '"2026-06-01 08:00"', 'DateTime cannot represent "2026-06-01 08:00" (expected e.g. 2026-06-01T08:00:00+07:00)'],
    ['at', '"0001-01-01T00:00:00Z"', 'DateTime cannot represent "0001-01-01T00:00:00Z": Year 1 is outside 1900-9999 (expected e.g. 2026-06-01T08:00:00+07:00)'],
    ['day', '"0001-01-01"', 'Date cannot represent "0001-01-01": Year 1 is outside 1900-9999 (expected e.g. 2026-06-30)'],
    ['at', '"2026-02-30T08:00:00Z"', 'DateTime cannot represent "2026-02-30T08:00:00Z" (expected e.g. 2026-06-01T08:00:00+07:00)'],
    ['day', '"2026-02-30"', 'Date cannot represent "2026-02-30" (expected e.g. 2026-06-30)'],
    ['day', '"30/06/2026"', 'Date cannot represent "30/06/2026" (expected e.g. 2026-06-30)'],
    ['zone', '"Mars/Olympus_Mons"', 'TimeZone cannot represent "Mars/Olympus_Mons" (expected e.g. Asia/Ho_Chi_Minh)'],
    ['pct', '"64.7"', 'Percentage must be a string with two decimals from "0.00" to "100.00", got "64.7"'],
  ])('refuse a bad literal %s: %s with BAD_USER_INPUT naming the argument', async (argument, literal, reason) => {
    const result = await run(`{ probe(${argument}: ${literal}) }`);
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0]!.message).toBe(`Argument "${argument}" has an invalid value: ${reason}`);
    expect(result.errors![0]!.extensions).toEqual({ code: 'BAD_USER_INPUT', argumentName: argument });
  });

  it('keep a DateTime without an offset as a local time for the report to place in its zone', async () => {
    const result = await run(`{ a: probe(at: "2026-06-01T08:00:00") b: probe(at: "2026-06-01") }`);
    expect(result.data).toEqual({ a: JSON.stringify({ at: { text: '2026-06-01T08:00:00' } }), b: JSON.stringify({ at: { text: '2026-06-01' } }) });
  });

  it('refuse a bad variable with BAD_USER_INPUT naming the variable', async () => {
    const result = await run(`query ($zone: TimeZone) { probe(zone: $zone) }`, { zone: 'Nowhere/Land' });
    expect(result.errors).toEqual([
      expect.objectContaining({
        message: 'Variable "$zone" got invalid value "Nowhere/Land"; TimeZone cannot represent "Nowhere/Land" (expected e.g. Asia/Ho_Chi_Minh)',
        extensions: { code: 'BAD_USER_INPUT' },
      }),
    ]);
  });

  it('name our scalar, not the library type behind it, in a bad variable', async () => {
    const result = await run(`query ($day: Date, $at: DateTime) { probe(day: $day, at: $at) }`, { day: 20260630, at: '2026-06-31T00:00:00Z' });
    expect(result.errors!.map((error) => error.message)).toEqual([
      'Variable "$day" got invalid value 20260630; Date cannot represent 20260630 (expected e.g. 2026-06-30)',
      'Variable "$at" got invalid value "2026-06-31T00:00:00Z"; DateTime cannot represent "2026-06-31T00:00:00Z" (expected e.g. 2026-06-01T08:00:00+07:00)',
    ]);
  });

  it('carry @specifiedBy where a specification exists', () => {
    expect(scalar('DateTime').specifiedByURL).toBe('https://scalars.graphql.org/chillicream/date-time.html');
    expect(scalar('Date').specifiedByURL).toBe('https://scalars.graphql.org/chillicream/date.html');
    expect(scalar('TimeZone').specifiedByURL).toBe('https://www.iana.org/time-zones');
  });

  it('serialize percentages only in the two-decimal form', () => {
    expect(scalar('Percentage').serialize('65.00')).toBe('65.00');
    expect(() => scalar('Percentage').serialize('65')).toThrow(/two decimals/);
  });
});
