import { GraphQLScalarType, Kind, print, type GraphQLScalarTypeConfig, type ValueNode } from 'graphql';
import { DateTimeResolver, LocalDateResolver } from 'graphql-scalars';
import { DateTime } from 'luxon';
import { knownZone, LocalDateTime, type InstantInput } from '../reports/window.js';
import { apiError } from '../errors.js';
import { builder } from './builder.js';

type Parsing<TInternal, TExternal> = Pick<GraphQLScalarTypeConfig<TInternal, TExternal>, 'serialize'> & {
  parseValue: (value: unknown) => TInternal;
  parseLiteral: (ast: ValueNode) => TInternal;
};

/** A reason of our own why a value is refused, worth repeating to the client (graphql-scalars' name their own types). */
class ScalarRefusal extends Error {}

/**
 * Re-throws a scalar's parse errors as BAD_USER_INPUT naming our scalar (graphql-scalars' messages
 * say LocalDate where our schema says Date), keeping graphql-scalars' strict checks.
 */
function strict<TInternal, TExternal>(
  base: Parsing<TInternal, TExternal>,
  config: { name: string; description: string; example: string; specifiedByURL: string },
): GraphQLScalarTypeConfig<TInternal, TExternal> {
  const rethrow = <T>(shown: string, parse: () => T): T => {
    try {
      return parse();
    } catch (error) {
      const reason = error instanceof ScalarRefusal ? `: ${error.message}` : '';
      throw apiError('BAD_USER_INPUT', `${config.name} cannot represent ${shown}${reason} (expected e.g. ${config.example})`);
    }
  };
  return {
    name: config.name,
    description: config.description,
    specifiedByURL: config.specifiedByURL,
    serialize: base.serialize,
    parseValue: (value) => rethrow(JSON.stringify(value) ?? String(value), () => base.parseValue(value)),
    parseLiteral: (ast) => rethrow(print(ast), () => base.parseLiteral(ast)),
  };
}

// Calls happen in our era: a year outside this range is a typo, and years before 1 are not even
// written the same way by JavaScript and PostgreSQL.
const FIRST_YEAR = 1900;
const LAST_YEAR = 9999;

function withinYears<T extends Date | string>(value: T): T {
  const year = typeof value === 'string' ? Number(value.slice(0, 4)) : value.getUTCFullYear();
  if (year < FIRST_YEAR || year > LAST_YEAR) throw new ScalarRefusal(`Year ${year} is outside ${FIRST_YEAR}-${LAST_YEAR}`);
  return value;
}

/** A date-time without offset (seconds and fraction optional), or a bare date. */
const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?)?$/;

/**
 * An instant with an offset (graphql-scalars' strict RFC 3339 check), or a local date-time or date
 * without one, which the report reads in its time zone.
 */
function parseInstant(value: unknown): InstantInput {
  if (typeof value === 'string' && LOCAL_DATE_TIME.test(value)) {
    if (!DateTime.fromISO(value, { zone: 'UTC' }).isValid) throw new ScalarRefusal('not a real date-time');
    return new LocalDateTime(withinYears(value));
  }
  return withinYears(DateTimeResolver.parseValue(value) as Date);
}

builder.addScalarType(
  'DateTime',
  new GraphQLScalarType(
    strict<InstantInput, Date>(
      {
        serialize: DateTimeResolver.serialize,
        parseValue: parseInstant,
        parseLiteral: (ast) => (ast.kind === Kind.STRING ? parseInstant(ast.value) : (DateTimeResolver.parseLiteral(ast) as Date)),
      },
      {
        name: 'DateTime',
        description:
          'An instant as ISO 8601 with an offset, e.g. 2026-06-01T08:00:00+07:00 (answers always carry one). An argument ' +
          'may also be a local date-time or a date without offset (2026-06-01T08:00:00, 2026-06-01): it is read in the ' +
          "report's timezone, or in Asia/Ho_Chi_Minh where the field has no timezone argument.",
        example: '2026-06-01T08:00:00+07:00',
        specifiedByURL: 'https://scalars.graphql.org/chillicream/date-time.html',
      },
    ),
  ),
);

builder.addScalarType(
  'Date',
  new GraphQLScalarType(
    strict<string, string>(
      {
        serialize: LocalDateResolver.serialize,
        parseValue: (value) => withinYears(LocalDateResolver.parseValue(value) as string),
        parseLiteral: (ast) => withinYears(LocalDateResolver.parseLiteral(ast) as string),
      },
      {
        name: 'Date',
        description: 'A calendar day as YYYY-MM-DD, read in the report timezone, e.g. 2026-06-30.',
        example: '2026-06-30',
        specifiedByURL: 'https://scalars.graphql.org/chillicream/date.html',
      },
    ),
  ),
);

/**
 * A zone name luxon knows. graphql-scalars' TimeZone builds two Intl.DateTimeFormat per value (one
 * to see whether the runtime has zones at all), which cost a report with a timezone 0.4-1 ms.
 */
function parseZone(value: unknown): string {
  if (typeof value === 'string' && knownZone(value) !== null) return value;
  throw new Error('not a zone');
}

builder.addScalarType(
  'TimeZone',
  new GraphQLScalarType(
    strict<string, string>(
      {
        serialize: parseZone,
        parseValue: parseZone,
        parseLiteral: (ast) => parseZone(ast.kind === Kind.STRING ? ast.value : undefined),
      },
      {
        name: 'TimeZone',
        description: 'An IANA time zone name, e.g. Asia/Ho_Chi_Minh or America/New_York.',
        example: 'Asia/Ho_Chi_Minh',
        specifiedByURL: 'https://www.iana.org/time-zones',
      },
    ),
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
