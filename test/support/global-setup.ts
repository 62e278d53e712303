// Compiles the Groovy parse checker once before the workers start (slipway/testing caches it per machine).
import { groovyChecker, groovyUnavailable } from '../../lib/testing/groovy';

export default async function globalSetup(): Promise<void> {
  if (groovyUnavailable()) return; // the tests that parse Jenkinsfiles fail with the install hint
  groovyChecker();
}
