import { Construct } from 'constructs';
import { AnalysisTemplateBase, AnalysisTemplateProps, IAnalysisTemplate } from './analysis-template';

/** The cluster-scoped form of {@link AnalysisTemplate}, shared by every namespace. */
export class ClusterAnalysisTemplate extends AnalysisTemplateBase {
  /** A reference to a cluster template created elsewhere. */
  public static fromName(name: string): IAnalysisTemplate {
    return { name, clusterScope: true };
  }

  /** Always true: a cluster-scoped template. */
  public readonly clusterScope = true;

  constructor(scope: Construct, id: string, props: AnalysisTemplateProps = {}) {
    super(scope, id, 'ClusterAnalysisTemplate', { ...props, namespace: undefined });
  }
}
