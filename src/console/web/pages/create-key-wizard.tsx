import Alert from '@cloudscape-design/components/alert';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import RadioGroup from '@cloudscape-design/components/radio-group';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Textarea from '@cloudscape-design/components/textarea';
import Wizard from '@cloudscape-design/components/wizard';
import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { kms } from '../console-api';
import { isKeySpecServed } from '../../../kms/domain/asymmetric-checks';
import { KEY_SPECS, keyClassOf, usagesOf } from '../../../kms/domain/key-spec';
import { regionOf } from '../regions';
import { atOf } from '../time-travel';
import { Field } from './key-settings-tabs';

type KeyType = 'symmetric' | 'asymmetric';

/**
 * What the console offers: each key type's usages, and each usage's key specs, from the domain's own
 * tables (kms/domain): the pairs CreateKey accepts, of the specs it makes here (not ML-DSA, and not
 * SM2, which AWS offers only in the China Regions), so the wizard and the API cannot disagree.
 */
const SPECS: Record<KeyType, Record<string, readonly string[]>> = { symmetric: {}, asymmetric: {} };
for (const spec of KEY_SPECS.filter(isKeySpecServed)) {
  const byUsage = SPECS[keyClassOf(spec) === 'asymmetric' ? 'asymmetric' : 'symmetric'];
  for (const usage of usagesOf(spec)) byUsage[usage] = [...(byUsage[usage] ?? []), spec];
}
const USAGE_LABELS: Record<string, string> = {
  ENCRYPT_DECRYPT: 'Encrypt and decrypt',
  GENERATE_VERIFY_MAC: 'Generate and verify MAC',
  SIGN_VERIFY: 'Sign and verify',
  KEY_AGREEMENT: 'Key agreement',
};

/**
 * Create key: type, usage and spec, then the alias (required: "you must create an alias when you
 * create a key in the console"; `alias/` is added to what is entered) and description, then a
 * review. The key is made first and the alias after it, as AWS's console does: when the alias
 * fails, the key exists anyway, and its page says so.
 */
export function CreateKeyWizard() {
  const navigate = useNavigate();
  const [search] = useSearchParams();
  const region = regionOf(search);
  const [step, setStep] = useState(0);
  const [keyType, setKeyType] = useState<KeyType>('symmetric');
  const [usage, setUsage] = useState('ENCRYPT_DECRYPT');
  const [spec, setSpec] = useState('SYMMETRIC_DEFAULT');
  const [alias, setAlias] = useState('');
  const [description, setDescription] = useState('');
  const [aliasError, setAliasError] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const usages = Object.keys(SPECS[keyType]);
  const specs = SPECS[keyType][usage] ?? [];
  const chooseType = (type: KeyType) => {
    const firstUsage = Object.keys(SPECS[type])[0]!;
    setKeyType(type);
    setUsage(firstUsage);
    setSpec(SPECS[type][firstUsage]![0]!);
  };
  const chooseUsage = (next: string) => {
    setUsage(next);
    setSpec(SPECS[keyType][next]![0]!);
  };

  const finish = async () => {
    setBusy(true);
    setError(undefined);
    let keyId: string;
    try {
      const created = await kms<{ KeyMetadata: { KeyId: string } }>(
        'CreateKey',
        { KeySpec: spec, KeyUsage: usage, ...(description ? { Description: description } : {}) },
        region,
      );
      keyId = created.KeyMetadata.KeyId;
    } catch (failure) {
      setBusy(false);
      return setError((failure as Error).message);
    }
    const aliasName = `alias/${alias}`;
    const outcome = await kms('CreateAlias', { AliasName: aliasName, TargetKeyId: keyId }, region).then(
      () => ({ type: 'success', message: `Key ${keyId} was created with the alias ${aliasName}.` }),
      (failure: Error) => ({
        type: 'warning',
        message: `Key ${keyId} was created, but its alias ${aliasName} was not: ${failure.message}`,
      }),
    );
    navigate(`/keys/${keyId}/aliases?region=${region}`, { state: { flash: outcome } });
  };

  if (atOf(search))
    return (
      <Alert type="warning" header="Time travel is on">
        Keys are created now, not in the past: go back to now (Time travel, upper right) to create a key.
      </Alert>
    );
  return (
    <Wizard
      activeStepIndex={step}
      isLoadingNextStep={busy}
      onNavigate={({ detail }) => {
        if (detail.requestedStepIndex > 1 && step <= 1 && alias.trim() === '') {
          setStep(1);
          return setAliasError('Enter an alias: you must create an alias when you create a key in the console.');
        }
        setAliasError(undefined);
        setStep(detail.requestedStepIndex);
      }}
      onCancel={() => navigate(`/keys?region=${region}`)}
      onSubmit={() => void finish()}
      i18nStrings={{
        stepNumberLabel: (n) => `Step ${n}`,
        collapsedStepsLabel: (n, total) => `Step ${n} of ${total}`,
        navigationAriaLabel: 'Steps',
        cancelButton: 'Cancel',
        previousButton: 'Previous',
        nextButton: 'Next',
        submitButton: 'Finish',
      }}
      steps={[
        {
          title: 'Configure key',
          content: (
            <Container header={<Header variant="h2">Key configuration</Header>}>
              <SpaceBetween size="l">
                <FormField label="Key type">
                  <RadioGroup
                    value={keyType}
                    onChange={({ detail }) => chooseType(detail.value as KeyType)}
                    items={[
                      { value: 'symmetric', label: 'Symmetric' },
                      { value: 'asymmetric', label: 'Asymmetric' },
                    ]}
                  />
                </FormField>
                <FormField label="Key usage">
                  <RadioGroup
                    value={usage}
                    onChange={({ detail }) => chooseUsage(detail.value)}
                    items={usages.map((value) => ({ value, label: USAGE_LABELS[value] ?? value }))}
                  />
                </FormField>
                <FormField label="Key spec">
                  <Select
                    selectedOption={{ value: spec, label: spec }}
                    onChange={({ detail }) => setSpec(detail.selectedOption.value ?? spec)}
                    options={specs.map((value) => ({ value, label: value }))}
                  />
                </FormField>
              </SpaceBetween>
            </Container>
          ),
        },
        {
          title: 'Add labels',
          content: (
            <Container header={<Header variant="h2">Alias and description</Header>}>
              <SpaceBetween size="l">
                <FormField
                  label="Alias"
                  description="The console adds the alias/ prefix to the name you enter: ExampleAlias becomes alias/ExampleAlias."
                  errorText={aliasError}
                >
                  <Input value={alias} onChange={({ detail }) => setAlias(detail.value)} placeholder="ExampleAlias" />
                </FormField>
                <FormField label="Description - optional">
                  <Textarea value={description} onChange={({ detail }) => setDescription(detail.value)} />
                </FormField>
              </SpaceBetween>
            </Container>
          ),
        },
        {
          title: 'Review',
          content: (
            <SpaceBetween size="l">
              <Container header={<Header variant="h2">Review</Header>}>
                <ColumnLayout columns={3} variant="text-grid">
                  <Field label="Key type">{keyType === 'symmetric' ? 'Symmetric' : 'Asymmetric'}</Field>
                  <Field label="Key usage">{USAGE_LABELS[usage] ?? usage}</Field>
                  <Field label="Key spec">{spec}</Field>
                  <Field label="Alias">{`alias/${alias}`}</Field>
                  <Field label="Description">{description || '-'}</Field>
                </ColumnLayout>
              </Container>
              {error && (
                <Alert type="error" header="The key was not created">
                  {error}
                </Alert>
              )}
            </SpaceBetween>
          ),
        },
      ]}
    />
  );
}
