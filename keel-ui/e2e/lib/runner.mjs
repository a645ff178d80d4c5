// Numbers and names the steps, so that a failure can say which step broke ("FAILED step N (name)").
export let stepNo = 0;
export let stepName = 'launch chromium';
/** Uncaught errors of the page, printed after a failure because they often explain it. */
export const pageErrors = [];

export async function step(name, action) {
  stepName = name;
  const started = Date.now();
  const note = await action();
  const extra = note ? ` (${note})` : '';
  stepNo += 1;
  console.log(`ok ${stepNo} ${name}${extra} [${Date.now() - started} ms]`);
}

/** Prints the failure line of the step that threw and exits 1. */
export function reportFailure(error) {
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  console.error(`FAILED step ${stepNo + 1} (${stepName}): ${message}`);
  for (const pageError of pageErrors) {
    console.error(`  page error: ${pageError}`);
  }
  process.exit(1);
}
