/**
 * Which properties of a resource or data block are nested blocks, for Terraform's JSON syntax:
 * there a nested block and an object-valued argument are written alike, and Terraform tells them
 * apart by the provider's schema. podtrust keeps the nested blocks of the types it maps (from the
 * providers' documentation); a property of any other type is read as an argument.
 */

/** Nested block types, each with its own nested block types. */
export interface NestedBlocks {
  readonly [name: string]: NestedBlocks;
}

const NONE: NestedBlocks = {};
const TIMEOUTS: NestedBlocks = { timeouts: NONE };
const KUBERNETES_METADATA: NestedBlocks = { metadata: NONE, timeouts: NONE };

const GKE_NODE_CONFIG: NestedBlocks = {
  workload_metadata_config: NONE,
  shielded_instance_config: NONE,
  guest_accelerator: { gpu_driver_installation_config: NONE, gpu_sharing_config: NONE },
  taint: NONE,
  kubelet_config: NONE,
  linux_node_config: { hugepages_config: NONE },
  gcfs_config: NONE,
  gvnic: NONE,
  advanced_machine_features: NONE,
  reservation_affinity: NONE,
  sandbox_config: NONE,
  ephemeral_storage_local_ssd_config: NONE,
  local_nvme_ssd_block_config: NONE,
  confidential_nodes: NONE,
  windows_node_config: NONE,
  containerd_config: { private_registry_access_config: { certificate_authority_domain_config: { gcp_secret_manager_certificate_config: NONE } } },
  sole_tenant_config: { node_affinity: NONE },
  fast_socket: NONE,
  secondary_boot_disks: NONE,
};

const GKE_NODE_POOL: NestedBlocks = {
  node_config: GKE_NODE_CONFIG,
  autoscaling: NONE,
  management: NONE,
  upgrade_settings: { blue_green_settings: { standard_rollout_policy: NONE } },
  network_config: { pod_cidr_overprovision_config: NONE, additional_node_network_configs: NONE, additional_pod_network_configs: NONE, network_performance_config: NONE },
  placement_policy: NONE,
  queued_provisioning: NONE,
};

const AKS_NODE_POOL: NestedBlocks = {
  kubelet_config: NONE,
  linux_os_config: { sysctl_config: NONE },
  node_network_profile: { allowed_host_ports: NONE },
  upgrade_settings: NONE,
  windows_profile: NONE,
};

const GCP_IAM_CONDITION: NestedBlocks = { condition: NONE };

const KUBERNETES_SERVICE_ACCOUNT: NestedBlocks = { metadata: NONE, secret: NONE, image_pull_secret: NONE, timeouts: NONE };
const KUBERNETES_DATA: NestedBlocks = KUBERNETES_METADATA;

const AZURE_FEDERATED: NestedBlocks = TIMEOUTS;

/** By resource (or data source) type. */
export const NESTED_BLOCKS: Readonly<Record<string, NestedBlocks>> = {
  aws_iam_role: { inline_policy: NONE },
  aws_iam_openid_connect_provider: NONE,
  aws_iam_policy: NONE,
  aws_eks_cluster: {
    vpc_config: NONE,
    access_config: NONE,
    kubernetes_network_config: { elastic_load_balancing: NONE },
    encryption_config: { provider: NONE },
    compute_config: NONE,
    storage_config: { block_storage: NONE },
    upgrade_policy: NONE,
    outpost_config: { control_plane_placement: NONE },
    remote_network_config: { remote_node_networks: NONE, remote_pod_networks: NONE },
    zonal_shift_config: NONE,
    timeouts: NONE,
  },
  aws_eks_node_group: { launch_template: NONE, scaling_config: NONE, remote_access: NONE, taint: NONE, update_config: NONE, node_repair_config: NONE, timeouts: NONE },
  aws_launch_template: {
    metadata_options: NONE,
    iam_instance_profile: NONE,
    block_device_mappings: { ebs: NONE },
    network_interfaces: { connection_tracking_specification: NONE, ena_srd_specification: { ena_srd_udp_specification: NONE } },
    tag_specifications: NONE,
    placement: NONE,
    monitoring: NONE,
    credit_specification: NONE,
    cpu_options: NONE,
    capacity_reservation_specification: { capacity_reservation_target: NONE },
    enclave_options: NONE,
    hibernation_options: NONE,
    instance_market_options: { spot_options: NONE },
    license_specification: NONE,
    maintenance_options: NONE,
    private_dns_name_options: NONE,
    elastic_gpu_specifications: NONE,
    elastic_inference_accelerator: NONE,
    instance_requirements: NONE,
  },
  aws_eks_pod_identity_association: NONE,
  aws_iam_instance_profile: NONE,
  aws_iam_policy_document: { statement: { principals: NONE, not_principals: NONE, condition: NONE } },
  kubernetes_service_account: KUBERNETES_SERVICE_ACCOUNT,
  kubernetes_service_account_v1: KUBERNETES_SERVICE_ACCOUNT,
  kubernetes_secret: KUBERNETES_DATA,
  kubernetes_secret_v1: KUBERNETES_DATA,
  kubernetes_config_map: KUBERNETES_DATA,
  kubernetes_config_map_v1: KUBERNETES_DATA,
  kubernetes_manifest: { timeouts: NONE, wait: { condition: NONE }, field_manager: NONE },
  azapi_resource: { identity: NONE, timeouts: NONE },
  azurerm_user_assigned_identity: TIMEOUTS,
  azurerm_federated_identity_credential: AZURE_FEDERATED,
  azuread_application_federated_identity_credential: AZURE_FEDERATED,
  azuread_application_flexible_federated_identity_credential: AZURE_FEDERATED,
  azurerm_role_assignment: TIMEOUTS,
  azurerm_kubernetes_cluster: {
    default_node_pool: AKS_NODE_POOL,
    identity: NONE,
    kubelet_identity: NONE,
    network_profile: { load_balancer_profile: NONE, nat_gateway_profile: NONE },
    azure_active_directory_role_based_access_control: NONE,
    key_vault_secrets_provider: NONE,
    linux_profile: { ssh_key: NONE },
    windows_profile: { gmsa: NONE },
    service_principal: NONE,
    api_server_access_profile: NONE,
    auto_scaler_profile: NONE,
    maintenance_window: { allowed: NONE, not_allowed: NONE },
    maintenance_window_auto_upgrade: { not_allowed: NONE },
    maintenance_window_node_os: { not_allowed: NONE },
    storage_profile: NONE,
    web_app_routing: NONE,
    oms_agent: NONE,
    ingress_application_gateway: NONE,
    microsoft_defender: NONE,
    monitor_metrics: NONE,
    http_proxy_config: NONE,
    confidential_computing: NONE,
    aci_connector_linux: NONE,
    key_management_service: NONE,
    service_mesh_profile: { certificate_authority: NONE },
    workload_autoscaler_profile: NONE,
    upgrade_override: NONE,
    timeouts: NONE,
  },
  azurerm_kubernetes_cluster_node_pool: { ...AKS_NODE_POOL, timeouts: NONE },
  google_container_cluster: {
    node_config: GKE_NODE_CONFIG,
    node_pool: GKE_NODE_POOL,
    workload_identity_config: NONE,
    addons_config: NONE,
    ip_allocation_policy: NONE,
    master_auth: { client_certificate_config: NONE },
    private_cluster_config: { master_global_access_config: NONE },
    master_authorized_networks_config: { cidr_blocks: NONE },
    release_channel: NONE,
    network_policy: NONE,
    maintenance_policy: { daily_maintenance_window: NONE, recurring_window: NONE, maintenance_exclusion: NONE },
    cluster_autoscaling: NONE,
    database_encryption: NONE,
    logging_config: NONE,
    monitoring_config: NONE,
    binary_authorization: NONE,
    vertical_pod_autoscaling: NONE,
    authenticator_groups_config: NONE,
    node_pool_defaults: NONE,
    timeouts: NONE,
  },
  google_container_node_pool: { ...GKE_NODE_POOL, timeouts: NONE },
  google_service_account: TIMEOUTS,
  google_service_account_iam_binding: GCP_IAM_CONDITION,
  google_service_account_iam_member: GCP_IAM_CONDITION,
  google_service_account_iam_policy: NONE,
  google_project_iam_binding: GCP_IAM_CONDITION,
  google_project_iam_member: GCP_IAM_CONDITION,
  google_project_iam_policy: NONE,
  google_folder_iam_binding: GCP_IAM_CONDITION,
  google_folder_iam_member: GCP_IAM_CONDITION,
  google_folder_iam_policy: NONE,
  google_organization_iam_binding: GCP_IAM_CONDITION,
  google_organization_iam_member: GCP_IAM_CONDITION,
  google_organization_iam_policy: NONE,
  google_iam_policy: { binding: GCP_IAM_CONDITION, audit_config: { audit_log_configs: NONE } },
};

/** Blocks Terraform itself defines in every resource and data block. */
export const META_BLOCKS: NestedBlocks = { lifecycle: { precondition: NONE, postcondition: NONE }, connection: NONE };
