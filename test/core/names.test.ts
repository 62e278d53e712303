import { Duration as Cdk8sDuration, Testing } from 'cdk8s';
import { Duration, Names, SlipwayError, Violations, formatViolation, serverless } from '../../lib';
import { fail, show } from '../../lib/core';
import { goDuration, jenkinsTime, wholeSeconds } from '../../lib/core/duration';

describe('Names', () => {
  test.each(['a', 'web-1', 'a'.repeat(63), '0abc'])('accepts DNS label %s', (v) => expect(Names.isDnsLabel(v)).toBe(true));
  test.each(['', 'A', '-a', 'a-', 'a_b', 'a.b', 'a'.repeat(64)])('rejects DNS label %s', (v) => expect(Names.isDnsLabel(v)).toBe(false));

  test('subdomains allow dots, up to 253 characters', () => {
    expect(Names.isDnsSubdomain('tasks.tekton.dev')).toBe(true);
    expect(Names.isDnsSubdomain('a..b')).toBe(false);
    expect(Names.isDnsSubdomain(`${'a'.repeat(63)}.`.repeat(4) + 'a')).toBe(false);
  });

  test('rule dns-1123-label: the message names the field, the bad value and the fix', () => {
    expect(() => Names.assertDnsLabel(undefined, 'task name', 'Build_It')).toThrow(
      'task name "Build_It" is not a valid DNS-1123 label (rule: dns-1123-label). fix: use at most 63 lowercase letters');
  });

  test('rule dns-1123-subdomain: rejects upper case object names', () => {
    expect(() => Names.assertDnsSubdomain(undefined, 'name', 'My.App')).toThrow(/dns-1123-subdomain/);
  });

  test('rule identifier: identifiers are validated, never escaped', () => {
    expect(Names.isIdentifier('_A1')).toBe(true);
    expect(() => Names.assertIdentifier(undefined, 'env key', "A'; evil()")).toThrow(/env key "A'; evil\(\)" is not a valid identifier \(rule: identifier\)/);
    expect(() => Names.assertIdentifier(undefined, 'axis', '1x')).toThrow(/identifier/);
  });

  test('toDnsLabel derives a label deterministically', () => {
    expect(Names.toDnsLabel('Build & Test: Unit!')).toBe('build-test-unit');
    expect(Names.toDnsLabel('x'.repeat(70) + '-y', 10)).toBe('xxxxxxxxxx');
    expect(() => Names.toDnsLabel('!!!')).toThrow(/dns-1123-label/);
  });
});

describe('Duration', () => {
  test('renders Go durations, seconds and Jenkins units', () => {
    expect(goDuration(Duration.minutes(90))).toBe('1h30m');
    expect(goDuration(Duration.millis(1500))).toBe('1s500ms');
    expect(goDuration(Duration.seconds(0))).toBe('0s');
    expect(wholeSeconds(Duration.hours(2))).toBe(7200);
    expect(jenkinsTime(Duration.minutes(30))).toEqual({ time: 30, unit: 'MINUTES' });
    expect(jenkinsTime(Duration.seconds(90))).toEqual({ time: 90, unit: 'SECONDS' });
    expect(jenkinsTime(Duration.days(1))).toEqual({ time: 1, unit: 'DAYS' });
  });

  test('parses what it renders', () => {
    for (const text of ['1h30m', '45s', '500ms', '2h', '0']) {
      expect(goDuration(Duration.parse(text))).toBe(text === '0' ? '0s' : text);
    }
    expect(Duration.parse('1h').toMilliseconds()).toBe(Duration.minutes(60).toMilliseconds());
  });

  test("cdk8s' own Duration fits wherever slipway takes one, with no cast", () => {
    const theirs: Duration = Cdk8sDuration.minutes(5);
    expect(goDuration(theirs)).toBe('5m');
    expect(Duration.minutes(5)).toBeInstanceOf(Cdk8sDuration);
  });

  test('rule duration-format: rejects what no backend understands, with the path of the construct it reaches', () => {
    for (const bad of ['', '5', '1.5h', '1d', 'ten minutes', '-1s', '1h 30m']) {
      const d = Duration.parse(bad);
      expect(() => goDuration(d)).toThrow(/duration-format/);
      expect(() => new serverless.KnativeService(Testing.chart(), 'Fn', { name: 'fn', container: { image: 'ghcr.io/acme/fn:1' }, timeout: d }))
        .toThrow(/^\[test\/Fn\] .*duration-format/);
    }
  });

  test('rule duration-range: negative, fractional or infinite amounts are refused where the duration is used, shown as written', () => {
    expect(() => goDuration(Duration.seconds(-1))).toThrow(/duration -1s .*duration-range/);
    expect(() => wholeSeconds(Duration.millis(0.5))).toThrow(/duration 0.5ms .*duration-range/);
    expect(() => jenkinsTime(Duration.seconds(Infinity))).toThrow(/duration Infinitys .*duration-range/);
    expect(() => goDuration(Cdk8sDuration.millis(1500), undefined)).not.toThrow();
  });

  test('rule duration-whole-seconds: Kubernetes seconds fields need whole seconds', () => {
    expect(() => wholeSeconds(Duration.millis(1500))).toThrow(/duration-whole-seconds/);
  });
});

describe('errors', () => {
  test('fail() throws a SlipwayError carrying the rule and path', () => {
    try {
      fail(undefined, 'some-rule', 'value "x" is bad', 'do y');
    } catch (e) {
      expect(e).toBeInstanceOf(SlipwayError);
      expect((e as SlipwayError).rule).toBe('some-rule');
      expect((e as Error).message).toBe('value "x" is bad (rule: some-rule). fix: do y');
    }
    expect.assertions(3);
  });

  test('Violations collects in order and throws the first with the path', () => {
    const v = new Violations();
    v.add('a', 'first', 'fix a');
    v.add('b', 'second', 'fix b');
    expect(v.all.map((x) => x.rule)).toEqual(['a', 'b']);
    expect(() => v.throwFirst('app/x')).toThrow('[app/x] first (rule: a). fix: fix a');
    expect(formatViolation(v.all[1])).toBe('second (rule: b). fix: fix b');
  });

  test('show() quotes strings and renders other values as JSON', () => {
    expect(show('a"b')).toBe('"a\\"b"');
    expect(show(5)).toBe('5');
    expect(show(undefined)).toBe('undefined');
    expect(show({ a: [1] })).toBe('{"a":[1]}');
  });
});
