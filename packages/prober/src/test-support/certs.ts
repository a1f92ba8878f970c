// Throwaway certificates for TLS tests: the sandbox makes them (its TLS endpoints need them too).
export { issueCertificate, type CertOptions, type Issued } from '@apimon/sandbox';
