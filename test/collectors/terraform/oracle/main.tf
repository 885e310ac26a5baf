# Expressions evaluated by both `terraform console` and podtrust's evaluator (test/collectors/terraform/oracle.test.ts).
module "stand_in" {
  source = "./module"

  use_custom_launch_template = null
  nullable_flag              = null
  node_group = {
    name   = "general"
    labels = { team = "a" }
    metadata_options = { http_put_response_hop_limit = 2 }
    extra  = "dropped by the type"
  }
  node_groups = {
    blue  = {}
    green = { capacity_type = "SPOT", taints = [{ key = "dedicated" }, { key = "gpu", effect = "NO_EXECUTE" }] }
  }
  settings = { mode = null }
}

locals {
  service_account = { metadata = [{ name = "reports", namespace = "analytics", annotations = { role = "x" } }] }
  groups          = { a = { size = 1, zone = "x" }, b = { size = 3, zone = "y" }, c = { size = 2, zone = "x" } }
  names           = ["web", "api", "worker"]

  results = {
    fmt_zero_pad      = format("svc-%02d", 2)
    fmt_width         = format("[%5d][%-5d][%05d]", 42, 42, -42)
    fmt_signs         = format("%+d % d %+d", 5, 5, -5)
    fmt_string        = format("%s|%10s|%-10s|%.3s|%q", "abc", "right", "left", "truncate", "quo\"te<&>")
    fmt_value         = format("%v|%v|%v|%v|%#v", "s", 12, true, [1, "a"], "s")
    fmt_numbers       = format("%v|%v|%v|%v|%v", 1234567, 0.5, 100000, 1.0e21, -2.5)
    fmt_float         = format("%f|%.2f|%8.3f|%-8.1f|%08.2f|%.0f|%.0f|%.1f|%.2f", 3.14159, 2.345, 3.14159, 2.5, -3.5, 2.5, 3.5, 0.25, 1.005)
    fmt_exp           = format("%e|%E|%.2e|%g|%G|%.3g|%g|%g", 1234.5678, 0.000123, 123456, 0.00001234, 1.0e21, 3.14159, 100, 1.0e-5)
    fmt_bases         = format("%b|%o|%x|%X|%#x|%#o|%#b|%08b", 5, 8, 255, 255, 255, 8, 5, 5)
    fmt_bool          = format("%t|%t", true, "false")
    fmt_index         = format("%[2]s-%[1]s-%s|%%|100%%", "a", "b")
    fmt_precision_int = format("%.3d|%6.3d", 7, -7)
    fmtlist           = formatlist("%s-%02d", local.names, [1, 2, 3])
    fmtlist_repeat    = formatlist("%s.%s", "ns", local.names)
    nullable_false    = module.stand_in.use_custom_launch_template
    nullable_true     = module.stand_in.nullable_flag
    optional_object   = module.stand_in.node_group
    optional_map      = module.stand_in.node_groups
    optional_default  = module.stand_in.settings
    optional_tuple    = module.stand_in.tuple_of
    metadata_name     = local.service_account.metadata[0].name
    metadata_splat    = local.service_account.metadata[*].namespace
    splat_names       = [for g in values(local.groups) : g.zone][*]
    for_filter        = { for k, g in local.groups : k => g.size if g.size > 1 }
    for_group         = { for k, g in local.groups : g.zone => k... }
    for_list          = [for i, n in local.names : "${i}:${upper(n)}"]
    for_each_like     = { for n in toset(local.names) : n => length(n) }
    functions = [
      title("hello world-x"), substr("kubernetes", 4, 3), join("/", split(".", "a.b.c")),
      replace("a-b-c", "/-([a-z])/", "_$1"), lookup(local.groups.a, "zone", "none"), element(local.names, 4),
      coalesce(null, "", "first"), max(3, 9, 2), range(1, 7, 2), keys(local.groups), reverse(local.names),
      sort(["b", "a", "C"]), distinct([1, 2, 1]), compact(["a", "", "b"]), trimsuffix("name.tf", ".tf"),
      one(["only"]), tostring(12), chunklist(local.names, 2), zipmap(["x", "y"], [1, 2]), length("héllo"),
      setunion(["b"], ["a", "b"]), flatten([[1, [2]], [3]]), contains(local.names, "api"), abs(-4.5),
      slice(local.names, 1, 3), regex("^(\\w+)-(\\d+)$", "node-12"), startswith("eks-node", "eks"), upper("mixed"),
    ]
  }
}
