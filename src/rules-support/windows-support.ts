/**
 * Which pod identity mechanisms work for pods on Windows nodes, with the sources checked.
 * A mechanism that does not work leaves Windows pods with the node's identity or static keys.
 */
export type PodIdentityMechanism = 'irsa' | 'eks-pod-identity' | 'azure-workload-identity' | 'aad-pod-identity' | 'gke-workload-identity';

export interface WindowsSupport {
  mechanism: PodIdentityMechanism;
  label: string;
  windows: boolean;
  sources: string[];
}

export const WINDOWS_SUPPORT: Record<PodIdentityMechanism, WindowsSupport> = {
  irsa: {
    mechanism: 'irsa',
    label: 'IAM roles for service accounts (IRSA)',
    windows: true,
    // IRSA is a projected token plus SDK configuration: nothing runs on the node.
    sources: ['https://docs.aws.amazon.com/eks/latest/userguide/iam-roles-for-service-accounts.html', 'https://docs.aws.amazon.com/eks/latest/userguide/windows-support.html'],
  },
  'eks-pod-identity': {
    mechanism: 'eks-pod-identity',
    label: 'EKS Pod Identity',
    windows: false,
    // The EKS Pod Identity Agent is a Linux DaemonSet; AWS lists Linux EC2 nodes as where Pod Identity is available.
    sources: ['https://docs.aws.amazon.com/eks/latest/userguide/pod-identities.html', 'https://docs.aws.amazon.com/eks/latest/userguide/pod-id-agent-setup.html'],
  },
  'azure-workload-identity': {
    mechanism: 'azure-workload-identity',
    label: 'Azure Workload Identity',
    windows: true,
    sources: ['https://learn.microsoft.com/en-us/azure/aks/workload-identity-overview', 'https://github.com/Azure/AKS/issues/1917'],
  },
  'aad-pod-identity': {
    mechanism: 'aad-pod-identity',
    label: 'AAD Pod Identity',
    windows: false,
    // NMI intercepts IMDS with iptables from a Linux host-network DaemonSet.
    sources: ['https://github.com/Azure/aad-pod-identity/issues/242', 'https://github.com/Azure/secrets-store-csi-driver-provider-azure/issues/250'],
  },
  'gke-workload-identity': {
    mechanism: 'gke-workload-identity',
    label: 'GKE Workload Identity Federation',
    windows: true,
    sources: ['https://cloud.google.com/kubernetes-engine/docs/concepts/windows-server-gke', 'https://cloud.google.com/kubernetes-engine/docs/how-to/workload-identity'],
  },
};
