import { ApiObject, App, Chart, IResolver, JsonPatch, ResolutionContext, Testing } from 'cdk8s';
import { Pipeline, Task } from '../../lib/tekton';

const IMG = 'docker.io/library/alpine:3.20';

/** A Task and a Pipeline running it inline, in `chart`. */
function build(chart: Chart, script: string): void {
  const task = new Task(chart, 'build');
  task.addStep('compile', { image: IMG, script });
  const inline = new Task(chart, 'inline', { inline: true });
  inline.addStep('run', { image: IMG, script: 'make' });
  new Pipeline(chart, 'ci').addTask('inline', { taskSpec: inline });
}

/** Replaces every string "@" with "at" (an app-wide resolver of the user's own). */
class AtResolver implements IResolver {
  public resolve(context: ResolutionContext): void {
    if (context.value === '@') context.replaceValue('at');
  }
}

describe('documents slipway renders whole', () => {
  test('render like cdk8s: sorted keys, apiVersion/kind/metadata first, patches applied', () => {
    const chart = Testing.chart();
    build(chart, 'make all');
    ApiObject.of(chart.node.findChild('ci')).addJsonPatch(JsonPatch.add('/metadata/labels', { team: 'ci' }));
    const docs = Testing.synth(chart);
    for (const d of docs) expect(Object.keys(d).slice(0, 3)).toEqual(['apiVersion', 'kind', 'metadata']);
    expect(docs.find((d) => d.kind === 'Pipeline').metadata).toEqual({ name: 'ci', labels: { team: 'ci' } });
    const step = docs.find((d) => d.kind === 'Task').spec.steps[0];
    expect(Object.keys(step)).toEqual([...Object.keys(step)].sort());
  });

  test("an app's own resolvers still see every value", () => {
    const app = new App({ resolvers: [new AtResolver()] });
    const chart = new Chart(app, 'c');
    build(chart, '@');
    const task = chart.toJson().find((d) => d.kind === 'Task');
    expect(task.spec.steps[0].script).toBe('at');
  });
});

describe('a frozen step template shared by many Tasks', () => {
  const freeze = <T>(x: T): T => {
    if (x !== null && typeof x === 'object') {
      Object.values(x).forEach(freeze);
      Object.freeze(x);
    }
    return x;
  };

  test('is checked for every Task until it passes, so a bad one is refused each time', () => {
    const chart = Testing.chart();
    const bad = freeze({ image: 'a b:1', securityContext: { runAsNonRoot: true } });
    for (const id of ['one', 'two']) {
      expect(() => new Task(chart, id, { stepTemplate: bad })).toThrow(/container-image|image/);
    }
  });

  test('a good one renders the same in every Task', () => {
    const chart = Testing.chart();
    const good = freeze({ image: IMG, workingDir: '/src', computeResources: { requests: { cpu: '200m' } } });
    for (const id of ['one', 'two']) new Task(chart, id, { stepTemplate: good }).addStep('s', { script: 'make' });
    const [one, two] = Testing.synth(chart);
    expect(one.spec.stepTemplate).toEqual(two.spec.stepTemplate);
    expect(one.spec.stepTemplate.workingDir).toBe('/src');
  });
});
