/**
 * CI sets ALIASTRAIL_REQUIRE_TOOLS=1 (.ci/run, which checks for them first): there a test that needs
 * an outside tool (the AWS CLI, Terraform and its provider mirror) fails when the tool is missing,
 * rather than skipping and passing green. Elsewhere such tests skip where the tool is not installed:
 * `present || toolsRequired ? describe : describe.skip`.
 */
export const toolsRequired: boolean = process.env.ALIASTRAIL_REQUIRE_TOOLS === '1';
