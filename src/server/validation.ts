import { GraphQLError, Kind, specifiedRules, valueFromASTUntyped, ValuesOfCorrectTypeRule, type ExecutionArgs, type ExecutionResult, type ValidationRule } from 'graphql';
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
 * Resolvers report the caller's mistakes by throwing: report arguments as InvalidArgumentError,
 * Pothos bad connection arguments (a cursor it never handed out) as PothosValidationError. Both
 * become BAD_USER_INPUT here, before masking would hide them. Matched by name: a library may be
 * loaded as both its ESM and CJS build, which defeats instanceof.
 */
export function useUserInputErrors(): Plugin {
  const relabel = (error: GraphQLError, variables: ExecutionArgs['variableValues']) => {
    const original = error.originalError as (Error & { argumentName?: string }) | undefined;
    if (original?.name === 'InvalidArgumentError') {
      return new GraphQLError(original.message, {
        nodes: error.nodes,
        path: error.path,
        extensions: { code: 'BAD_USER_INPUT', argumentName: original.argumentName },
      });
    }
    if (original?.name === 'PothosValidationError') {
      const argumentName = connectionArgumentName(error, variables);
      return new GraphQLError(`Invalid connection arguments: ${error.message}`, {
        nodes: error.nodes,
        path: error.path,
        extensions: { code: 'BAD_USER_INPUT', ...(argumentName ? { argumentName } : {}) },
      });
    }
    return error;
  };
  const relabelAll = (args: ExecutionArgs) => ({ result, setResult }: { result: ExecutionResult; setResult: (result: ExecutionResult) => void }) => {
    if (result.errors?.length) setResult({ ...result, errors: result.errors.map((error) => relabel(error, args.variableValues)) });
  };
  return {
    onExecute: ({ args }) => ({
      onExecuteDone: ({ result, setResult }) => {
        if (!(Symbol.asyncIterator in result)) relabelAll(args)({ result, setResult });
      },
    }),
    // Every push of a subscription, too: a report argument is as wrong there as in a query.
    onSubscribe: ({ args }) => ({ onSubscribeResult: () => ({ onNext: relabelAll(args) }) }),
  };
}

/**
 * Which argument a Pothos connection error is about: it names first/last itself, but for a bad
 * cursor only quotes the value, so look for the cursor argument (literal or variable) holding it.
 */
function connectionArgumentName(error: GraphQLError, variables: ExecutionArgs['variableValues']) {
  const named = /Argument "(\w+)"/.exec(error.message)?.[1];
  if (named) return named;
  const cursor = /Invalid cursor: (.*)$/s.exec(error.message)?.[1];
  const field = error.nodes?.[0];
  if (cursor === undefined || field?.kind !== Kind.FIELD) return undefined;
  return field.arguments?.find(
    (argument) => ['after', 'before'].includes(argument.name.value) && valueFromASTUntyped(argument.value, variables ?? undefined) === cursor,
  )?.name.value;
}
