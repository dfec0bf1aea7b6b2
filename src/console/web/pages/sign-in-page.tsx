import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import SegmentedControl from '@cloudscape-design/components/segmented-control';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { signIn } from '../console-api';

/** Sign-in with an access key and its secret, or with a bearer token, of a configured principal. */
export function SignInPage() {
  const [method, setMethod] = useState<'keys' | 'token'>('keys');
  const [accessKeyId, setAccessKeyId] = useState('');
  const [secretAccessKey, setSecretAccessKey] = useState('');
  const [bearerToken, setBearerToken] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const navigate = useNavigate();
  const [search] = useSearchParams();

  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await signIn(method === 'keys' ? { accessKeyId, secretAccessKey } : { bearerToken });
      // Only a path of the console itself: `next` comes from the URL.
      const next = search.get('next');
      navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/keys', { replace: true });
    } catch (failure) {
      setError((failure as Error).message);
      setSecretAccessKey('');
      setBearerToken('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <main>
      <Box padding={{ vertical: 'xxxl', horizontal: 'l' }}>
        <div style={{ maxWidth: 480, margin: '0 auto' }}>
          <form
            onSubmit={(event) => {
              event.preventDefault();
              void submit();
            }}
          >
            <Form
              header={
                <Header variant="h1" description="The AWS KMS console for aliastrail">
                  Sign in
                </Header>
              }
              actions={
                <Button variant="primary" formAction="submit" loading={busy}>
                  Sign in
                </Button>
              }
            >
              <Container>
                <SpaceBetween size="l">
                  <SegmentedControl
                    label="Sign in with"
                    selectedId={method}
                    onChange={({ detail }) => setMethod(detail.selectedId as 'keys' | 'token')}
                    options={[
                      { id: 'keys', text: 'Access key' },
                      { id: 'token', text: 'Bearer token' },
                    ]}
                  />
                  {method === 'keys' ? (
                    <>
                      <FormField label="Access key ID">
                        <Input
                          value={accessKeyId}
                          onChange={({ detail }) => setAccessKeyId(detail.value)}
                          autoComplete="username"
                          spellcheck={false}
                        />
                      </FormField>
                      <FormField label="Secret access key">
                        <Input
                          type="password"
                          value={secretAccessKey}
                          onChange={({ detail }) => setSecretAccessKey(detail.value)}
                          autoComplete="current-password"
                        />
                      </FormField>
                    </>
                  ) : (
                    <FormField label="Bearer token">
                      <Input
                        type="password"
                        value={bearerToken}
                        onChange={({ detail }) => setBearerToken(detail.value)}
                        autoComplete="current-password"
                      />
                    </FormField>
                  )}
                  {error && (
                    <Alert type="error" header="Sign-in failed">
                      {error}
                    </Alert>
                  )}
                </SpaceBetween>
              </Container>
            </Form>
          </form>
        </div>
      </Box>
    </main>
  );
}
