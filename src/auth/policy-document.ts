import { z } from 'zod';

const oneOrMany = z
  .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
  .transform((v) => (Array.isArray(v) ? v : [v]));

/**
 * One statement of an IAM identity-based policy: Effect, Action or NotAction, Resource or
 * NotResource. Conditions are refused rather than ignored: a Deny with a condition that is not
 * evaluated would either deny too much or, worse, an Allow with one would allow too much.
 */
const statementSchema = z
  .object({
    Sid: z.string().optional(),
    Effect: z.enum(['Allow', 'Deny']),
    Action: oneOrMany.optional(),
    NotAction: oneOrMany.optional(),
    Resource: oneOrMany.optional(),
    NotResource: oneOrMany.optional(),
    Condition: z.never({ error: 'Condition is not supported; write the statement without it' }).optional(),
    Principal: z.never({ error: 'identity-based policies name no Principal' }).optional(),
  })
  .strict()
  .refine((s) => (s.Action === undefined) !== (s.NotAction === undefined), 'exactly one of Action and NotAction')
  .refine(
    (s) => (s.Resource === undefined) !== (s.NotResource === undefined),
    'exactly one of Resource and NotResource',
  );

export const policyDocumentSchema = z
  .object({
    Version: z.enum(['2012-10-17', '2008-10-17']).optional(),
    Id: z.string().optional(),
    Statement: z.union([statementSchema, z.array(statementSchema)]).transform((s) => (Array.isArray(s) ? s : [s])),
  })
  .strict();

export type PolicyStatement = z.output<typeof statementSchema>;
export type PolicyDocument = z.output<typeof policyDocumentSchema>;
