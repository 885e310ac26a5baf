import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectTerraform } from '../../../src/collectors/terraform/index.js';

const ROOT = '/project';

async function collect(text: string) {
  return collectTerraform([{ path: join(ROOT, 'nodes', 'main.tf'), text }], { root: ROOT, limits: { maxNodes: 1_000_000, maxDepth: 256 } });
}

async function nodeGroups(text: string): Promise<Record<string, unknown>> {
  const r = await collect(text);
  return Object.fromEntries(r.resources.filter((x) => x.type === 'aws.eks.NodeGroup').map((x) => [x.address, x.body]));
}

const ROLE = (name: string) => `
resource "aws_iam_role" "${name}" {
  name               = "${name}"
  assume_role_policy = "{}"
}
resource "aws_iam_instance_profile" "${name}" {
  name = "${name}"
  role = aws_iam_role.${name}.name
}
resource "aws_launch_template" "${name}" {
  name = "${name}"
  iam_instance_profile {
    arn = aws_iam_instance_profile.${name}.arn
  }
}
resource "aws_autoscaling_group" "${name}" {
  name = "${name}"
  launch_template {
    id = aws_launch_template.${name}.id
  }
}
`;

describe('self-managed node groups', () => {
  it('keeps groups whose instance role is a node role: worker policy, EC2 access entry, aws-auth mapping', async () => {
    const groups = await nodeGroups(`${ROLE('worker')}${ROLE('entry')}${ROLE('mapped')}${ROLE('bastion')}
resource "aws_iam_role_policy_attachment" "worker" {
  role       = aws_iam_role.worker.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy"
}
resource "aws_eks_access_entry" "entry" {
  cluster_name  = "apps"
  principal_arn = aws_iam_role.entry.arn
  type          = "EC2_LINUX"
}
resource "aws_eks_access_entry" "bastion" {
  cluster_name  = "apps"
  principal_arn = aws_iam_role.bastion.arn
  type          = "STANDARD"
}
resource "kubernetes_config_map_v1_data" "aws_auth" {
  metadata {
    name      = "aws-auth"
    namespace = "kube-system"
  }
  data = {
    mapRoles = yamlencode([{ rolearn = aws_iam_role.mapped.arn, username = "system:node:{{EC2PrivateDNSName}}", groups = ["system:bootstrappers", "system:nodes"] }])
  }
}
`);
    expect(Object.keys(groups).sort()).toEqual(['aws_autoscaling_group.entry', 'aws_autoscaling_group.mapped', 'aws_autoscaling_group.worker']);
  });

  it('keeps groups tagged for a cluster (naming it) or bootstrapping with nodeadm, and no other', async () => {
    const groups = await nodeGroups(`
resource "aws_launch_template" "al2023" {
  name      = "al2023"
  user_data = base64encode("MIME-Version: 1.0\\n\\n---\\napiVersion: node.eks.aws/v1alpha1\\nkind: NodeConfig\\nspec:\\n  cluster:\\n    name: apps\\n")
}
resource "aws_autoscaling_group" "al2023" {
  name = "al2023"
  launch_template {
    name = aws_launch_template.al2023.name
  }
}
resource "aws_autoscaling_group" "tagged" {
  name                 = "tagged"
  launch_configuration = "tagged-lc"
  tag {
    key                 = "kubernetes.io/cluster/payments"
    value               = "owned"
    propagate_at_launch = true
  }
}
resource "aws_autoscaling_group" "web" {
  name                 = "web"
  launch_configuration = "web-lc"
}
`);
    expect(Object.keys(groups).sort()).toEqual(['aws_autoscaling_group.al2023', 'aws_autoscaling_group.tagged']);
    expect(groups['aws_autoscaling_group.tagged']).toMatchObject({ clusterName: 'payments', launchTemplate: { name: 'tagged-lc' } });
  });

  it('names a group it cannot decide on: its launch template is not in the scan', async () => {
    const r = await collect('resource "aws_autoscaling_group" "web" {\n  name = "web"\n  launch_template {\n    name = "made-elsewhere"\n  }\n}\n');
    expect(r.resources.filter((x) => x.type === 'aws.eks.NodeGroup')).toEqual([]);
    expect(r.notes).toContainEqual(expect.objectContaining({ kind: 'unresolved', level: 'note', file: join(ROOT, 'nodes', 'main.tf'), line: 1, message: expect.stringContaining('aws_autoscaling_group.web') }));
  });
});
