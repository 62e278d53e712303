import { Construct } from 'constructs';
import { constructId } from '../../core';
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
    super(scope, constructId(scope, id, 'ClusterAnalysisTemplate', "new ClusterAnalysisTemplate(scope, 'Main', …)"), 'ClusterAnalysisTemplate', { ...props, namespace: undefined });
  }
}
