import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { RuleViolation, show, constructId } from '../../core';
import { Json, compact } from '../rollouts/common';
import { Sink, destinationViolations, eventingResource } from './sink';
import { checkProps } from '../values';

/** Props of {@link PingSource}. */
export interface PingSourceProps {
  /**
   * The object name.
   * @default - generated from the construct path
   */
  readonly name?: string;
  /** Cron schedule (five fields, e.g. `*\/5 * * * *`). */
  readonly schedule: string;
  /**
   * IANA time zone of the schedule.
   * @default - UTC
   */
  readonly timezone?: string;
  /**
   * Event data (text or JSON).
   * @default - none
   */
  readonly data?: string;
  /**
   * Media type of `data`.
   * @default - none
   */
  readonly contentType?: string;
  /** Where the events go. */
  readonly sink: Sink;
}

const FIELD = /^(\*|\?|[0-9A-Za-z]+(-[0-9A-Za-z]+)?)(\/[0-9]+)?(,(\*|[0-9A-Za-z]+(-[0-9A-Za-z]+)?)(\/[0-9]+)?)*$/;

function pingSourceViolations(spec: Json): RuleViolation[] {
  const out: RuleViolation[] = [];
  const fields = String(spec.schedule ?? '').trim().split(/\s+/);
  const macro = /^@(yearly|annually|monthly|weekly|daily|midnight|hourly|every \S+)$/.test(String(spec.schedule ?? '').trim());
  if (!macro && (fields.length !== 5 || !fields.every((f) => FIELD.test(f)))) {
    out.push({ rule: 'knative-ping-source', message: `spec.schedule ${show(spec.schedule)}: invalid value: expected exactly 5 fields`, fix: "write a cron schedule such as '*/5 * * * *' or '@hourly'" });
  }
  if (spec.data !== undefined && spec.dataBase64 !== undefined) out.push({ rule: 'knative-ping-source', message: 'expected exactly one, got both: data, dataBase64', fix: 'keep one of data and dataBase64' });
  out.push(...destinationViolations('spec.sink', spec.sink, 'knative-ping-source'));
  return out;
}

/** A Knative `PingSource` (sources.knative.dev/v1): a CloudEvent on a cron schedule. */
export class PingSource extends Construct {
  /** The L1 object (`Resource`). */
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: PingSourceProps) {
    super(scope, constructId(scope, id, 'PingSource', "new PingSource(scope, 'Main', …)"));
    checkProps(this, props);
    this.resource = eventingResource(this, 'sources.knative.dev/v1', 'PingSource', props.name, () => compact({
      schedule: props.schedule, timezone: props.timezone, contentType: props.contentType, data: props.data, sink: props.sink.toJson(),
    }), pingSourceViolations);
  }

  /** The object name. */
  public get name(): string {
    return this.resource.name;
  }
}
