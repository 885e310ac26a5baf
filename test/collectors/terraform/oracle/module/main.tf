# Stand-in module: variables shaped like terraform-aws-eks v21's (nullable = false flags, optional() attributes).
variable "use_custom_launch_template" {
  type     = bool
  default  = true
  nullable = false
}

variable "nullable_flag" {
  type    = bool
  default = true
}

variable "node_group" {
  type = object({
    name          = string
    ami_type      = optional(string, "AL2023_x86_64_STANDARD")
    desired_size  = optional(number, 2)
    labels        = optional(map(string))
    metadata_options = optional(object({
      http_tokens                 = optional(string, "required")
      http_put_response_hop_limit = optional(number, 1)
    }), {})
  })
}

variable "node_groups" {
  type = map(object({
    instance_types = optional(list(string), ["m6i.large"])
    capacity_type  = optional(string, "ON_DEMAND")
    taints = optional(list(object({
      key    = string
      effect = optional(string, "NO_SCHEDULE")
    })), [])
  }))
  default = {}
}

variable "settings" {
  type = object({
    enabled = optional(bool, true)
    mode    = optional(string, "strict")
  })
  default = {}
}

variable "tuple_of" {
  type    = tuple([object({ a = optional(number, 1) }), string])
  default = [{}, "x"]
}

output "use_custom_launch_template" { value = var.use_custom_launch_template }
output "nullable_flag" { value = var.nullable_flag }
output "node_group" { value = var.node_group }
output "node_groups" { value = var.node_groups }
output "settings" { value = var.settings }
output "tuple_of" { value = var.tuple_of }
