/** Names the API accepts for a storage cluster: letters, digits and hyphens. */
export function clusterNameProblem(name: string): string | null {
  if (name.trim() === '') {
    return 'A name is required';
  }
  return /^[A-Za-z0-9][A-Za-z0-9-]{0,62}$/.test(name) ? null : 'Letters, digits and hyphens, up to 63 characters';
}
