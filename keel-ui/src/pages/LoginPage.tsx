import {
  ActionGroup,
  Alert,
  Bullseye,
  Button,
  Card,
  CardBody,
  CardTitle,
  Form,
  FormGroup,
  TextInput,
  Title,
} from '@patternfly/react-core';
import { useState, type FormEvent } from 'react';
import { Navigate, useLocation } from 'react-router';
import { SESSION_EXPIRED_MESSAGE } from '../api/client';
import { useAuth } from '../auth';
import { ErrorAlert } from '../components/ErrorAlert';
import { useSubmit } from '../useSubmit';

// The API has one operator account.
const SUPERADMIN = 'superadmin';

export function LoginPage() {
  const { session, expired, login } = useAuth();
  const location = useLocation();
  const [username, setUsername] = useState(SUPERADMIN);
  const [password, setPassword] = useState('');
  const { busy, error, run } = useSubmit();

  if (session) {
    const from = (location.state as { from?: string } | null)?.from;
    return <Navigate to={from && from !== '/login' ? from : '/nodes'} replace />;
  }

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await run(async () => {
      await login(username, password);
    });
  };

  return (
    <Bullseye style={{ minHeight: '100vh', background: 'var(--pf-t--global--background--color--secondary--default)' }}>
      <Card style={{ width: '26rem' }} data-testid="login-page">
        <CardTitle>
          <Title headingLevel="h1" size="2xl">
            Keel
          </Title>
          Log in to the admin panel
        </CardTitle>
        <CardBody>
          {expired && !error ? (
            <Alert variant="warning" isInline title={SESSION_EXPIRED_MESSAGE} className="pf-v6-u-mb-md" data-testid="session-expired" />
          ) : null}
          <ErrorAlert message={error} title="Login failed" />
          <Form onSubmit={submit}>
            <FormGroup label="Username" isRequired fieldId="login-username">
              <TextInput
                id="login-username"
                name="username"
                autoComplete="username"
                isRequired
                value={username}
                onChange={(_e, value) => setUsername(value)}
              />
            </FormGroup>
            <FormGroup label="Password" isRequired fieldId="login-password">
              <TextInput
                id="login-password"
                name="password"
                type="password"
                autoComplete="current-password"
                isRequired
                value={password}
                onChange={(_e, value) => setPassword(value)}
              />
            </FormGroup>
            <ActionGroup>
              <Button type="submit" variant="primary" isBlock isLoading={busy} isDisabled={busy || !password}>
                Log in
              </Button>
            </ActionGroup>
          </Form>
        </CardBody>
      </Card>
    </Bullseye>
  );
}
