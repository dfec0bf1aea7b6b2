/** What `aliastrail --help` prints. */
export const USAGE = `Usage: aliastrail [options] <command> …

Calls aliastrail's REST query API, GraphQL and admin routes, signed with AWS Signature Version 4
for the service "aliastrail" with your AWS credentials (or with a bearer token), and prints the
JSON answer.

Commands:
  get <path?query>                      GET a route, e.g. /api/regions/us-east-1/aliases
  post <path> [--body JSON|@file|-]     POST to a route, e.g. an admin one; without a body unless given
  delete <path>                         DELETE a route, e.g. /admin/tokens/<token id>
  graphql <query|@file|-> [--variables JSON|@file]
                                        POST /graphql with {"query", "variables"}

Options (anywhere on the line; --name=value works too):
  --profile P         sign with this profile of ~/.aws/credentials or ~/.aws/config; else
                      AWS_PROFILE; else AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY (and
                      AWS_SESSION_TOKEN), then the rest of the AWS SDK's credential chain
                      (AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE name other files)
  --region R          the Region of the signature (else AWS_REGION, AWS_DEFAULT_REGION, the
                      profile's region, us-east-1); which Region a query reads is in its path
  --endpoint-url URL  where the service listens (else ALIASTRAIL_ENDPOINT_URL, else the profile's
                      endpoint_url, else http://127.0.0.1:3000)
  --token T           send "Authorization: Bearer T" instead of signing (else ALIASTRAIL_TOKEN,
                      unless --profile is given)
  -h, --help          this text

Type query strings as a browser would take them: the command percent-encodes them and signs what
it sends, in any order, with ":" and "/" as they are. A "+" is a plus sign (as in a time zone
offset "+01:00"); write a space as %20.

Output: a 2xx answer on standard output, JSON pretty-printed (other content as it comes), exit 0.
An error answer (HTTP status 300 or more, or a GraphQL answer with "errors") goes to standard
error as the service gave it, exit 1. A service that cannot be reached, or no credentials: one
line on standard error, exit 1. A mistake in the command line: exit 2.

Examples:
  npx aliastrail get '/api/regions/us-east-1/alias?name=alias/payments&at=2026-03-01T14:00:00Z'
  npx aliastrail --profile audit --endpoint-url http://127.0.0.1:3000 \\
    get '/api/regions/us-east-1/alias/history?name=alias/payments'
  npx aliastrail get '/api/regions/us-east-1/diff?from=2026-03-01T00:00:00Z&to=2026-03-02T00:00:00Z'
  npx aliastrail get '/api/regions/us-east-1/audit-events?eventName=Encrypt&eventName=Decrypt&startTime=2026-03-01T00:00:00Z'
  npx aliastrail graphql '{ aliases(region: "us-east-1") { position nodes { aliasName targetKeyId } } }'
  npx aliastrail graphql 'query ($at: DateTime) { alias(region: "us-east-1", aliasName: "alias/payments", at: $at) { alias { targetKeyId } } }' \\
    --variables '{"at": "2026-03-01T14:00:00Z"}'
  npx aliastrail post /admin/ledger/verify
  npx aliastrail post /admin/projections/temporal/rebuild
  ALIASTRAIL_TOKEN=… npx aliastrail get /api/regions/us-east-1/aliases
`;
