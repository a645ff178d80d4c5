// What the journey creates; fixed names so that a rerun finds an earlier run's objects and goes on.
export const POLICY = 'e2e-r2';
export const VOLUME = 'e2e-vol';
export const ISCSI_GROUP = 'e2e-san';
export const S3_DNS = 's3.e2e.test';
export const S3_USER = 'e2e@example.com';
export const S3_BUCKET = 'e2e-bucket';
export const S3_OBJECT = 'e2e-hello.txt';
export const IMAGE = 'e2e-img';
export const VM = 'e2e-vm';
export const TINY_FLAVOR = 'e2e-tiny';
