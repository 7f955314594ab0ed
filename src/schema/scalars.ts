import { GraphQLScalarType, Kind, type GraphQLScalarTypeConfig } from 'graphql';
import { DateTimeResolver, LocalDateResolver, TimeZoneResolver } from 'graphql-scalars';
import { apiError } from '../server/errors.js';
import { builder } from './builder.js';

/** Re-throws a scalar's parse errors as BAD_USER_INPUT, keeping graphql-scalars' strict checks. */
function strict<TInternal, TExternal>(
  base: GraphQLScalarType<TInternal, TExternal>,
  config: { name: string; description: string; example: string },
): GraphQLScalarTypeConfig<TInternal, TExternal> {
  const rethrow = <T>(parse: () => T): T => {
    try {
      return parse();
    } catch (error) {
      throw apiError('BAD_USER_INPUT', `${(error as Error).message} (expected e.g. ${config.example})`);
    }
  };
  return {
    name: config.name,
    description: config.description,
    serialize: base.serialize,
    parseValue: (value) => rethrow(() => base.parseValue(value)),
    parseLiteral: (ast, variables) => rethrow(() => base.parseLiteral(ast, variables)),
  };
}

builder.addScalarType(
  'DateTime',
  new GraphQLScalarType(
    strict(DateTimeResolver, {
      name: 'DateTime',
      description: 'An instant as ISO 8601 with an offset, e.g. 2026-06-01T08:00:00+07:00. Input without an offset is refused.',
      example: '2026-06-01T08:00:00+07:00',
    }),
  ),
);

builder.addScalarType(
  'Date',
  new GraphQLScalarType(
    strict(LocalDateResolver as GraphQLScalarType<string, string>, {
      name: 'Date',
      description: 'A calendar day as YYYY-MM-DD, read in the report timezone, e.g. 2026-06-30.',
      example: '2026-06-30',
    }),
  ),
);

builder.addScalarType(
  'TimeZone',
  new GraphQLScalarType(
    strict(TimeZoneResolver as GraphQLScalarType<string, string>, {
      name: 'TimeZone',
      description: 'An IANA time zone name, e.g. Asia/Ho_Chi_Minh or America/New_York.',
      example: 'Asia/Ho_Chi_Minh',
    }),
  ),
);

const PERCENTAGE = /^\d{1,3}\.\d{2}$/;

function parsePercentage(value: unknown): string {
  if (typeof value === 'string' && PERCENTAGE.test(value) && Number(value) <= 100) return value;
  throw apiError('BAD_USER_INPUT', `Percentage must be a string with two decimals from "0.00" to "100.00", got ${JSON.stringify(value)}`);
}

builder.addScalarType(
  'Percentage',
  new GraphQLScalarType<string, string>({
    name: 'Percentage',
    description: 'A percentage as a decimal string with exactly two decimals, rounded half up, e.g. "64.69".',
    serialize: (value) => parsePercentage(value),
    parseValue: parsePercentage,
    parseLiteral: (ast) => parsePercentage(ast.kind === Kind.STRING ? ast.value : undefined),
  }),
);
