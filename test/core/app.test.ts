import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { warn } from '../../lib/core';
import {
  CommentStyle, CommittedFiles, GENERATED_HEADER, GeneratedFile, PipelineApp, addRules, checkCommittedFiles,
  synthFiles, writeFiles,
} from '../../lib';

class TextFile extends GeneratedFile {
  public text = 'body';
  protected renderBody(): string {
    return this.text;
  }
}

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-core-'));
}

describe('PipelineApp and generated files', () => {
  test('writes YAML and every generated file, each with a header in its own comment syntax', () => {
    const outdir = tmp();
    const app = new PipelineApp({ outdir });
    const chart = new Chart(app, 'chart');
    new TextFile(chart, 'groovy', { path: 'jenkins/a.Jenkinsfile', commentStyle: CommentStyle.SLASHES });
    new TextFile(chart, 'graph', { path: 'graphs/a.mmd', commentStyle: CommentStyle.PERCENT });
    new TextFile(chart, 'json', { path: 'a.json' });
    app.synth();
    expect(fs.readFileSync(path.join(outdir, 'jenkins/a.Jenkinsfile'), 'utf8')).toBe(`// ${GENERATED_HEADER}\nbody\n`);
    expect(fs.readFileSync(path.join(outdir, 'graphs/a.mmd'), 'utf8')).toBe(`%% ${GENERATED_HEADER}\nbody\n`);
    expect(fs.readFileSync(path.join(outdir, 'a.json'), 'utf8')).toBe('body\n');
  });

  test('renders lazily, so late changes land', () => {
    const app = Testing.app();
    const f = new TextFile(app, 'f', { path: 'f.txt', commentStyle: CommentStyle.HASH });
    f.text = 'changed later';
    expect(synthFiles(app)).toEqual({ 'f.txt': `# ${GENERATED_HEADER}\nchanged later\n` });
  });

  test('synthFiles returns files sorted by path and identical across runs', () => {
    const build = () => {
      const app = Testing.app();
      new TextFile(app, 'b', { path: 'z/b' });
      new TextFile(app, 'a', { path: 'a/a' });
      return synthFiles(app);
    };
    expect(Object.keys(build())).toEqual(['a/a', 'z/b']);
    expect(JSON.stringify(build())).toBe(JSON.stringify(build()));
  });

  test('rule duplicate-generated-file: two files with one path fail', () => {
    const app = Testing.app();
    new TextFile(app, 'a', { path: 'same' });
    new TextFile(app, 'b', { path: 'same' });
    expect(() => synthFiles(app)).toThrow(/\[b\] generated file path "same" is also written by a \(rule: duplicate-generated-file\)/);
  });

  test('rule generated-file-path: absolute or escaping paths fail', () => {
    const app = Testing.app();
    for (const bad of ['/etc/passwd', '../x', 'a/../b', 'a//b', '', 'a\\b']) {
      expect(() => new TextFile(app, `f${bad.length}${bad.charCodeAt(0)}`, { path: bad })).toThrow(/generated-file-path/);
    }
    expect(() => new TextFile(app, 'c', { path: 'ok', committedPath: '../Jenkinsfile' })).toThrow(/committedPath/);
  });

  test('synthFiles runs the validations of the whole tree, with the construct path', () => {
    const app = Testing.app();
    const c = new Construct(app, 'owner');
    addRules(c, () => [{ rule: 'demo-rule', message: 'value "x" is bad', fix: 'use "y"' }]);
    expect(() => synthFiles(app)).toThrow('[owner] value "x" is bad (rule: demo-rule). fix: use "y"');
  });

  test('rules of one construct run in registration order, before its construct validations, and also through node.validate()', () => {
    const app = Testing.app();
    const c = new Construct(app, 'owner');
    addRules(c, () => [{ rule: 'first-rule', message: 'a', fix: 'x' }]);
    c.node.addValidation({ validate: () => ['plain validation'] });
    addRules(c, () => [{ rule: 'second-rule', message: 'b', fix: 'y' }]);
    expect(c.node.validate()).toEqual(['a (rule: first-rule). fix: x', 'b (rule: second-rule). fix: y', 'plain validation']);
    expect(() => synthFiles(app)).toThrow(/\[owner\] a \(rule: first-rule\)[\s\S]*\[owner\] b \(rule: second-rule\)/);
  });

  test('a rule on a construct whose node slipway does not wrap (another copy of constructs) is a construct validation', () => {
    const app = Testing.app();
    const c = new Construct(app, 'owner');
    // A node without slipway's validate wrapper, as another copy of the constructs package would make.
    Object.setPrototypeOf(c.node, Object.create(Object.getPrototypeOf(c.node), { [Symbol.for('slipway.rulesHook')]: { value: false } }));
    addRules(c, () => [{ rule: 'demo-rule', message: 'bad', fix: 'fix it' }]);
    expect((c.node as any)._validations).toHaveLength(1);
    expect(() => synthFiles(app)).toThrow('[owner] bad (rule: demo-rule). fix: fix it');
  });

  test('writeFiles writes for a plain cdk8s App', () => {
    const outdir = tmp();
    const app = Testing.app();
    new TextFile(app, 'f', { path: 'deep/dir/f.txt' });
    writeFiles(app, outdir);
    expect(fs.readFileSync(path.join(outdir, 'deep/dir/f.txt'), 'utf8')).toBe('body\n');
  });
});

describe('committed copies', () => {
  function appWith(mode: CommittedFiles, repoRoot: string) {
    const app = new PipelineApp({ outdir: tmp(), committedFiles: mode, repoRoot });
    new TextFile(app, 'jf', { path: 'jenkins/x.Jenkinsfile', committedPath: 'Jenkinsfile', commentStyle: CommentStyle.SLASHES });
    return app;
  }

  test('rule committed-file-drift: a missing or different copy is reported with the regenerate command', () => {
    const root = tmp();
    const app = appWith(CommittedFiles.VERIFY, root);
    expect(checkCommittedFiles(app, root)[0].message).toMatch(/^Jenkinsfile is missing \(generated by jf\)/);
    fs.writeFileSync(path.join(root, 'Jenkinsfile'), 'stale');
    expect(() => app.synth()).toThrow(/Jenkinsfile differs from what synth writes.*SLIPWAY_COMMITTED=update npx cdk8s synth/);
  });

  test('update mode writes the copy, after which verify passes', () => {
    const root = tmp();
    appWith(CommittedFiles.UPDATE, root).synth();
    expect(fs.readFileSync(path.join(root, 'Jenkinsfile'), 'utf8')).toBe(`// ${GENERATED_HEADER}\nbody\n`);
    expect(() => appWith(CommittedFiles.VERIFY, root).synth()).not.toThrow();
  });

  test('ignore mode (the default) never reads the repository', () => {
    const root = path.join(tmp(), 'does-not-exist');
    expect(() => appWith(CommittedFiles.IGNORE, root).synth()).not.toThrow();
    expect(fs.existsSync(root)).toBe(false);
  });
});

describe('generated files are never lost silently', () => {
  test('rule generated-file-unwritten: a plain cdk8s App that would not write a Jenkinsfile fails synth', () => {
    const app = Testing.app();
    new TextFile(new Chart(app, 'ci'), 'jf', { path: 'jenkins/a.Jenkinsfile', commentStyle: CommentStyle.SLASHES });
    expect(() => app.synth()).toThrow(/jenkins\/a\.Jenkinsfile would not be written.*rule: generated-file-unwritten.*use PipelineApp instead of App, or call writeFiles\(app, outdir\) before app\.synth\(\)/);
  });

  test('rule generated-file-unwritten: writeFiles() before a plain App synth writes both', () => {
    const outdir = tmp();
    const app = Testing.app({ outdir });
    new TextFile(new Chart(app, 'ci'), 'jf', { path: 'jenkins/a.Jenkinsfile' });
    writeFiles(app, outdir);
    app.synth();
    expect(fs.readFileSync(path.join(outdir, 'jenkins/a.Jenkinsfile'), 'utf8')).toBe('body\n');
    expect(fs.existsSync(path.join(outdir, 'ci.k8s.yaml'))).toBe(true);
  });

  test('PipelineApp prints the warnings recorded in the tree on stderr', () => {
    const app = new PipelineApp({ outdir: tmp() });
    warn(new Chart(app, 'web'), 'image "nginx" runs as root');
    const err = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    delete process.env.SLIPWAY_QUIET;
    try {
      app.synth();
      expect(err.mock.calls.map((c) => String(c[0])).join('')).toContain('slipway: warning: [web] image "nginx" runs as root');
    } finally {
      process.env.SLIPWAY_QUIET = '1';
      err.mockRestore();
    }
  });

  test('PipelineApp lists every generated file it writes on stderr, keeping stdout for the documents', () => {
    const outdir = tmp();
    const app = new PipelineApp({ outdir });
    new TextFile(new Chart(app, 'ci'), 'jf', { path: 'jenkins/a.Jenkinsfile' });
    const err = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const out = jest.spyOn(process.stdout, 'write');
    delete process.env.SLIPWAY_QUIET;
    try {
      app.synth();
      expect(err.mock.calls.map((c) => String(c[0])).join('')).toContain(`jenkins/a.Jenkinsfile (5 bytes)`);
      expect(out).not.toHaveBeenCalled();
    } finally {
      process.env.SLIPWAY_QUIET = '1';
      err.mockRestore();
      out.mockRestore();
    }
  });
});
