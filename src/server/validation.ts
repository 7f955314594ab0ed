import { GraphQLError, specifiedRules, ValuesOfCorrectTypeRule, type ValidationRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * graphql-js reports a bad literal as `Expected value of type "DateTime", found "x"` without saying
 * which argument it was. This wraps its rule so the message names the argument and every such
 * error carries BAD_USER_INPUT.
 */
const ValuesOfCorrectTypeNamingArgumentRule: ValidationRule = (context) => {
  const naming = Object.create(context) as typeof context;
  naming.reportError = (error: GraphQLError) => {
    const argument = context.getArgument();
    const message = argument ? `Argument "${argument.name}" has an invalid value: ${error.message}` : error.message;
    context.reportError(
      new GraphQLError(message, {
        nodes: error.nodes,
        originalError: error.originalError,
        extensions: { ...error.extensions, code: 'BAD_USER_INPUT', ...(argument ? { argumentName: argument.name } : {}) },
      }),
    );
  };
  return ValuesOfCorrectTypeRule(naming);
};

export function useArgumentNamingValidation(): Plugin {
  return {
    onValidate({ validateFn, setValidationFn }) {
      setValidationFn((schema, document, rules, ...rest) =>
        validateFn(
          schema,
          document,
          (rules ?? specifiedRules).map((rule: ValidationRule) => (rule === ValuesOfCorrectTypeRule ? ValuesOfCorrectTypeNamingArgumentRule : rule)),
          ...rest,
        ),
      );
    },
  };
}

/**
 * Pothos reports bad connection arguments (a cursor it never handed out) as its own errors, which
 * pass unmasked but without a code. They are the caller's mistake: mark them BAD_USER_INPUT.
 */
export function useConnectionArgumentErrors(): Plugin {
  // Matched by name: Pothos may be loaded as both its ESM and CJS build, which defeats instanceof.
  const relabel = (error: GraphQLError) =>
    error.originalError?.name === 'PothosValidationError'
      ? new GraphQLError(`Invalid connection arguments: ${error.message}`, {
          nodes: error.nodes,
          path: error.path,
          extensions: { code: 'BAD_USER_INPUT' },
        })
      : error;
  return {
    onExecute: () => ({
      onExecuteDone: ({ result, setResult }) => {
        if (Symbol.asyncIterator in result || !result.errors?.length) return;
        setResult({ ...result, errors: result.errors.map(relabel) });
      },
    }),
  };
}
