import { type Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { LAMBDA_BUNDLING } from './bundling.ts';

export interface NewsFunctionProps {
  /** Absolute path of the handler module (exports `handler`). */
  readonly entry: string;
  readonly description: string;
  readonly timeout: Duration;
  /** @default 512 */
  readonly memorySize?: number;
  /** @default - no reservation */
  readonly reservedConcurrentExecutions?: number;
  /** Powertools service name: the `service` key of logs and the dimension of metrics. */
  readonly serviceName: string;
  readonly metricsNamespace: string;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
  /** Absolute path of the lock file (the repo root's package-lock.json). */
  readonly depsLockFilePath: string;
}

/**
 * A Lambda function with the project's defaults: Node.js 24 on arm64, bundled by the local
 * esbuild (no Docker) as LAMBDA_BUNDLING says (minified, the AWS SDK clients inside), its own log
 * group with retention, and Powertools configured through the environment.
 */
export class NewsFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: NewsFunctionProps) {
    super(scope, id);
    if (props.timeout.toSeconds() < 1 || props.timeout.toSeconds() > 900) {
      throw new Error(`timeout must be 1 to 900 seconds, got ${props.timeout.toSeconds()}`);
    }
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.fn = new NodejsFunction(this, 'Function', {
      entry: props.entry,
      handler: 'handler',
      description: props.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      timeout: props.timeout,
      memorySize: props.memorySize ?? 512,
      logGroup: this.logGroup,
      depsLockFilePath: props.depsLockFilePath,
      ...(props.reservedConcurrentExecutions !== undefined
        ? { reservedConcurrentExecutions: props.reservedConcurrentExecutions }
        : {}),
      bundling: {
        ...LAMBDA_BUNDLING,
        externalModules: [...LAMBDA_BUNDLING.externalModules],
        mainFields: [...LAMBDA_BUNDLING.mainFields],
        format: OutputFormat.CJS,
        forceDockerBundling: false,
      },
    });
    this.fn.addEnvironment('POWERTOOLS_SERVICE_NAME', props.serviceName);
    this.fn.addEnvironment('POWERTOOLS_METRICS_NAMESPACE', props.metricsNamespace);
    this.fn.addEnvironment('AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED', 'true');
  }
}

/**
 * The alarm every function gets: it failed as a whole at least once in `period`. Created in
 * `scope` with the id 'ErrorsAlarm', so its logical id stays where the owning construct put it.
 */
export const functionErrorsAlarm = (
  scope: Construct,
  fn: NewsFunction,
  description: string,
  period: Duration
): Alarm =>
  new Alarm(scope, 'ErrorsAlarm', {
    alarmDescription: description,
    metric: fn.fn.metricErrors({ period, statistic: 'Sum' }),
    threshold: 1,
    evaluationPeriods: 1,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
