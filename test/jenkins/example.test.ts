import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { CommittedFiles, PipelineApp, checkCommittedFiles, synthFiles } from '../../lib';
import { addJenkinsCi } from '../../pipelines/jenkins-ci';
import { expectK8sValid } from '../support/k8s-models';
import { parseGroovy } from '../support/groovy';

const repoRoot = path.join(__dirname, '..', '..');

function example(): { app: ReturnType<typeof Testing.app>; text: string; pod: Record<string, unknown> } {
  const app = Testing.app();
  const jf = addJenkinsCi(app);
  const text = synthFiles(app)['jenkins/orders.Jenkinsfile'];
  return { app, text, pod: jf['props'].agent!.podManifest! };
}

describe('example: the orders CI Jenkinsfile', () => {
  test('the committed root Jenkinsfile equals what synth writes (no drift)', () => {
    expect(checkCommittedFiles(example().app, repoRoot)).toEqual([]);
  });

  test('synthesizes byte-identical output twice', () => {
    expect(example().text).toBe(example().text);
  });

  test('drift and a missing copy are reported with the regenerate command', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-jf-'));
    try {
      const { app, text } = example();
      expect(checkCommittedFiles(app, dir)).toEqual([expect.objectContaining({ rule: 'committed-file-drift',
        message: expect.stringContaining('Jenkinsfile is missing') })]);
      fs.writeFileSync(path.join(dir, 'Jenkinsfile'), text.replace("ok 'Deploy'", "ok 'Ship'"));
      const [drift] = checkCommittedFiles(app, dir);
      expect(drift.rule).toBe('committed-file-drift');
      expect(drift.message).toContain('Jenkinsfile differs from what synth writes');
      expect(drift.fix).toContain('SLIPWAY_COMMITTED=update npx cdk8s synth');
      const verify = new PipelineApp({ outdir: path.join(dir, 'dist'), repoRoot: dir, committedFiles: CommittedFiles.VERIFY });
      addJenkinsCi(verify);
      expect(() => verify.synth()).toThrow(/Committed files differ from synth output[\s\S]*SLIPWAY_COMMITTED=update/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('is the pipeline the team runs: pod agent, parallel tests, image push with credentials, approval, production deploy, notifications', () => {
    const { text } = example();
    expect(text).toContain("defaultContainer 'maven'");
    expect(text).toMatch(/stage\('Test'\) \{\n {6}failFast true\n {6}parallel \{/);
    expect(text).toContain("withCredentials([usernamePassword(credentialsId: 'registry-push', usernameVariable: 'REGISTRY_USER', passwordVariable: 'REGISTRY_PASSWORD')])");
    expect(text).toMatch(/stage\('Deploy to production'\) \{[\s\S]*input \{\n {8}message 'Deploy orders to production\?'[\s\S]*withKubeConfig\(credentialsId: 'production-kubeconfig'/);
    expect(text).toContain('slackSend(');
    // Secrets are only ever expanded by the shell.
    expect(text).not.toMatch(/\$\{(env\.)?REGISTRY_PASSWORD\}/);
  });

  test('parses with Groovy 2.4 and its agent pod validates with kubernetes-models', () => {
    const { text, pod } = example();
    const committed = fs.readFileSync(path.join(repoRoot, 'Jenkinsfile'), 'utf8');
    const r = parseGroovy({ synth: text, committed });
    expect(r.synth.errors).toEqual([]);
    expect(r.committed.ok).toBe(true);
    expectK8sValid([{ ...pod, metadata: { name: 'orders-agent' } }]);
  });
});
