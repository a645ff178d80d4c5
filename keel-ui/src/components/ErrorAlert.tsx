import { Alert } from '@patternfly/react-core';

/** The API's message, verbatim. */
export function ErrorAlert({ message, title = 'Error' }: { message: string | undefined; title?: string }) {
  if (!message) {
    return null;
  }
  return (
    <Alert variant="danger" isInline title={title} data-testid="api-error" role="alert" className="pf-v6-u-mb-md">
      {message}
    </Alert>
  );
}
