import { KmsError } from '../kms/domain/kms-error';
import { validateInput } from './coral-validation';
import { OPERATIONS } from './operations';

/** What validateInput makes of a body: its output, or the error's message. */
function outcome(input: Record<string, unknown>, shape: (typeof OPERATIONS)[keyof typeof OPERATIONS]) {
  try {
    return validateInput(input, shape);
  } catch (error) {
    return (error as KmsError).detail;
  }
}

describe('validateInput', () => {
  it('reads an optional member sent as null as absent, for every operation (a null Marker was a 500)', () => {
    for (const [operation, shape] of Object.entries(OPERATIONS)) {
      for (const [name, member] of Object.entries(shape as Record<string, { required?: boolean }>)) {
        const result = outcome({ [name]: null }, shape);
        const path = `'${name[0]!.toLowerCase()}${name.slice(1)}'`;
        // Either accepted without the member, or refused for other (required) members only.
        if (typeof result === 'string')
          expect([operation, name, result.includes(path)]).toEqual([operation, name, member.required === true]);
        else expect([operation, name, name in (result ?? {})]).toEqual([operation, name, false]);
      }
    }
    expect(outcome({ Marker: null, Limit: 5 }, OPERATIONS.ListKeys)).toEqual({ Limit: 5 });
  });

  it('drops members the shape does not know, as AWS ignores them', () => {
    expect(validateInput({ Limit: 5, Other: null, Mac: 'AAAA', 7: 1 }, OPERATIONS.ListKeys)).toEqual({ Limit: 5 });
  });
});
