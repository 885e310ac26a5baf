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

  # One local per case (r_<name>): a case podtrust cannot evaluate leaves only itself unknown.
  r_fmt_zero_pad                      = format("svc-%02d", 2)
  r_fmt_width                         = format("[%5d][%-5d][%05d]", 42, 42, -42)
  r_fmt_signs                         = format("%+d % d %+d", 5, 5, -5)
  r_fmt_string                        = format("%s|%10s|%-10s|%.3s|%q", "abc", "right", "left", "truncate", "quo\"te<&>")
  r_fmt_value                         = format("%v|%v|%v|%v|%#v", "s", 12, true, [1, "a"], "s")
  r_fmt_numbers                       = format("%v|%v|%v|%v|%v", 1234567, 0.5, 100000, 1.0e21, -2.5)
  r_fmt_float                         = format("%f|%.2f|%8.3f|%-8.1f|%08.2f|%.0f|%.0f|%.1f|%.2f", 3.14159, 2.345, 3.14159, 2.5, -3.5, 2.5, 3.5, 0.25, 1.005)
  r_fmt_exp                           = format("%e|%E|%.2e|%g|%G|%.3g|%g|%g", 1234.5678, 0.000123, 123456, 0.00001234, 1.0e21, 3.14159, 100, 1.0e-5)
  r_fmt_bases                         = format("%b|%o|%x|%X|%#x|%#o|%#b|%08b", 5, 8, 255, 255, 255, 8, 5, 5)
  r_fmt_bool                          = format("%t|%t", true, "false")
  r_fmt_index                         = format("%[2]s-%[1]s-%s|%%|100%%", "a", "b")
  r_fmt_precision_int                 = format("%.3d|%6.3d", 7, -7)
  r_fmtlist                           = formatlist("%s-%02d", local.names, [1, 2, 3])
  r_fmtlist_repeat                    = formatlist("%s.%s", "ns", local.names)
  r_nullable_false                    = module.stand_in.use_custom_launch_template
  r_nullable_true                     = module.stand_in.nullable_flag
  r_optional_object                   = module.stand_in.node_group
  r_optional_map                      = module.stand_in.node_groups
  r_optional_default                  = module.stand_in.settings
  r_optional_tuple                    = module.stand_in.tuple_of
  r_metadata_name                     = local.service_account.metadata[0].name
  r_metadata_splat                    = local.service_account.metadata[*].namespace
  r_splat_names                       = [for g in values(local.groups) : g.zone][*]
  r_for_filter                        = { for k, g in local.groups : k => g.size if g.size > 1 }
  r_for_group                         = { for k, g in local.groups : g.zone => k... }
  r_for_list                          = [for i, n in local.names : "${i}:${upper(n)}"]
  r_for_each_like                     = { for n in toset(local.names) : n => length(n) }
  r_functions_00_title                = title("hello world-x")
  r_functions_01_substr               = substr("kubernetes", 4, 3)
  r_functions_02_join                 = join("/", split(".", "a.b.c"))
  r_functions_03_replace              = replace("a-b-c", "/-([a-z])/", "_$1")
  r_functions_04_lookup               = lookup(local.groups.a, "zone", "none")
  r_functions_05_element              = element(local.names, 4)
  r_functions_06_coalesce             = coalesce(null, "", "first")
  r_functions_07_max                  = max(3, 9, 2)
  r_functions_08_range                = range(1, 7, 2)
  r_functions_09_keys                 = keys(local.groups)
  r_functions_10_reverse              = reverse(local.names)
  r_functions_11_sort                 = sort(["b", "a", "C"])
  r_functions_12_distinct             = distinct([1, 2, 1])
  r_functions_13_compact              = compact(["a", "", "b"])
  r_functions_14_trimsuffix           = trimsuffix("name.tf", ".tf")
  r_functions_15_one                  = one(["only"])
  r_functions_16_tostring             = tostring(12)
  r_functions_17_chunklist            = chunklist(local.names, 2)
  r_functions_18_zipmap               = zipmap(["x", "y"], [1, 2])
  r_functions_19_length               = length("héllo")
  r_functions_20_setunion             = setunion(["b"], ["a", "b"])
  r_functions_21_flatten              = flatten([[1, [2]], [3]])
  r_functions_22_contains             = contains(local.names, "api")
  r_functions_23_abs                  = abs(-4.5)
  r_functions_24_slice                = slice(local.names, 1, 3)
  r_functions_25_regex                = regex("^(\\w+)-(\\d+)$", "node-12")
  r_functions_26_startswith           = startswith("eks-node", "eks")
  r_functions_27_upper                = upper("mixed")
  r_functions_more_00_substr          = substr("kubernetes", -4, -1)
  r_functions_more_01_substr          = substr("héllo", 1, 2)
  r_functions_more_02_trim            = trim("--x--", "-")
  r_functions_more_03_trimspace       = trimspace("  a b \n")
  r_functions_more_04_title           = title("ébc déf")
  r_functions_more_05_split           = split(",", "")
  r_functions_more_06_join            = join("-", [])
  r_functions_more_07_coalescelist    = coalescelist([], ["a"])
  r_functions_more_08_transpose       = transpose({ a = ["x", "y"], b = ["x"] })
  r_functions_more_09_min             = min(4, 2.5)
  r_functions_more_10_ceil            = ceil(1.2)
  r_functions_more_11_floor           = floor(-1.2)
  r_functions_more_12_base64decode    = base64decode(base64encode("héllo"))
  r_functions_more_13_tonumber        = tonumber("3.5")
  r_functions_more_14_tobool          = tobool("true")
  r_functions_more_15_merge           = merge({ a = 1, b = 2 }, { b = 3 })
  r_functions_more_16_index           = index(["a", "b"], "b")
  r_functions_more_17_values          = values({ b = 2, a = 1 })
  r_functions_more_18_one             = one([])
  r_functions_more_19_alltrue         = alltrue([true, "true"])
  r_functions_more_20_anytrue         = anytrue([])
  r_functions_more_21_replace         = replace("a1b22", "/(?P<d>\\d+)/", "<$${d}>")
  r_functions_more_22_regex           = regex("(?P<k>\\w+)=(?P<v>\\w+)", "env=prod")
  r_functions_more_23_strcontains     = strcontains("abc", "b")
  r_functions_more_24_endswith        = endswith("name.tf", ".tf")
  r_functions_more_25_range           = range(3)
  r_functions_more_26_range           = range(0, 1, 0.25)
  r_functions_more_27_length          = length({ a = 1 })
  r_functions_more_28_lower           = lower("ÀB")
  r_functions_more_29_reverse         = reverse([1, 2])
  r_functions_more_30_distinct        = distinct(["b", "a", "b"])
  r_functions_more_31_setintersection = setintersection(["c", "a", "b"], ["b", "c"])
  r_functions_more_32_setsubtract     = setsubtract(["c", "a", "b"], ["b"])
  r_functions_more_33_toset           = toset(["b", "a", 1])
  r_functions_more_34_format          = format("%s", 1.5)
  r_functions_more_35_expr            = "${1.0e3}"
  r_functions_more_36_tostring        = tostring(0.1)
  r_functions_more_37_expr            = 10 / 4
  r_functions_more_38_expr            = 7 % 3
  r_functions_more_39_expr            = -7 % 3
  r_functions_more_40_zipmap          = zipmap(["a"], ["b"])
  r_functions_more_41_sort            = sort(["10", "9", "1"])
  r_more_tostring_large                = tostring(1.0e21)
  r_more_tostring_small                = "${0.0000001}"
  r_more_replace_empty                 = replace("aaa", "", "-")
  r_more_element_wraps                 = element(["a", "b"], 5)
}
