import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

type Operation = { responses: Record<string, { content?: Record<string, { schema: object }> }> };
type Document = { paths: Record<string, Record<string, Operation>> };

/**
 * Checks an OpenAPI 3.1 document against the specification's own schema
 * (@seriousme/openapi-schema-validator), then checks real answers against the document's response
 * schemas with Ajv's JSON Schema 2020-12 (the dialect of OpenAPI 3.1).
 */
export async function openApiChecker(document: unknown) {
  const validator = new Validator();
  const result = await validator.validate(document as Parameters<Validator["validate"]>[0]);
  if (!result.valid) throw new Error(`not a valid OpenAPI document: ${JSON.stringify(result.errors, null, 2)}`);
  const resolved = validator.resolveRefs() as Document;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  (addFormats as unknown as (ajv: Ajv2020) => void)(ajv);
  const compiled = new Map<string, ValidateFunction>();
  return {
    version: validator.version,
    /** The errors of `body` against the schema of `status` of `method template`; an empty list when it conforms. */
    errorsOf(method: string, template: string, status: number, body: unknown): string[] {
      const key = `${method} ${template} ${status}`;
      let validate = compiled.get(key);
      if (!validate) {
        const schema = resolved.paths[template]?.[method.toLowerCase()]?.responses[String(status)]?.content?.['application/json']?.schema;
        if (!schema) return [`the document has no JSON answer ${status} for ${key}`];
        compiled.set(key, (validate = ajv.compile(schema)));
      }
      return validate(body) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message}`);
    },
  };
}
