/**
 * Instance types that support EFA, with their EFA interface counts.
 *
 * Each count is the type's `NetworkInfo.EfaInfo.MaximumEfaInterfaces`, which
 * for these types equals its number of network cards (one EFA per card).
 * Sources: AWS EC2 User Guide, "Elastic Fabric Adapter for AI/ML and HPC
 * workloads on Amazon EC2: supported instance types" and "Maximize network
 * bandwidth on Amazon EC2 instances with multiple network cards", and
 * `aws ec2 describe-instance-types --instance-types <type> --query
 * "InstanceTypes[].NetworkInfo.EfaInfo.MaximumEfaInterfaces"`; checked 2025.
 * Network bandwidth from the instance type pages (Accelerated computing).
 * A type the table lacks is described in the props instead
 * (`EfaClusterConfig.instanceSpec`, the same fields), checked the same way.
 */
export interface EfaInstanceType {
  /** EFA interfaces, one per network card. */
  readonly efaInterfaces: number;
  /**
   * Network cards (`NetworkInfo.MaximumNetworkCards`). Default: one per EFA
   * interface, plus card 0 when it has no EFA (every type of the table).
   */
  readonly networkCards?: number;
  /** Aggregate network bandwidth in Gbps. */
  readonly networkGbps: number;
  readonly accelerators: string;
  /** GPU (NVIDIA) or Neuron (Trainium): decides which AMI family fits. */
  readonly family: "gpu" | "neuron";
  /**
   * Whether network card 0 supports EFA. Default true. Some newer types
   * (p6-b300) have an ENA-only card 0; their EFA interfaces start on card 1.
   */
  readonly efaOnCardZero?: boolean;
}

export const EFA_INSTANCE_TYPES = {
  "p4d.24xlarge": { efaInterfaces: 4, networkGbps: 400, accelerators: "8x NVIDIA A100 40 GB", family: "gpu" },
  "p4de.24xlarge": { efaInterfaces: 4, networkGbps: 400, accelerators: "8x NVIDIA A100 80 GB", family: "gpu" },
  "p5.48xlarge": { efaInterfaces: 32, networkGbps: 3200, accelerators: "8x NVIDIA H100 80 GB", family: "gpu" },
  "p5e.48xlarge": { efaInterfaces: 32, networkGbps: 3200, accelerators: "8x NVIDIA H200 141 GB", family: "gpu" },
  "p5en.48xlarge": { efaInterfaces: 16, networkGbps: 3200, accelerators: "8x NVIDIA H200 141 GB (EFAv3)", family: "gpu" },
  "trn1.32xlarge": { efaInterfaces: 8, networkGbps: 800, accelerators: "16x AWS Trainium", family: "neuron" },
  "trn1n.32xlarge": { efaInterfaces: 16, networkGbps: 1600, accelerators: "16x AWS Trainium", family: "neuron" },
  "trn2.48xlarge": { efaInterfaces: 16, networkGbps: 3200, accelerators: "16x AWS Trainium2 (EFAv3)", family: "neuron" },
  "g5.48xlarge": { efaInterfaces: 1, networkGbps: 100, accelerators: "8x NVIDIA A10G 24 GB", family: "gpu" },
  "g6e.48xlarge": { efaInterfaces: 4, networkGbps: 400, accelerators: "8x NVIDIA L40S 48 GB", family: "gpu" },
} as const satisfies Record<string, EfaInstanceType>;

export type EfaInstanceTypeName = keyof typeof EFA_INSTANCE_TYPES;
export const EFA_INSTANCE_TYPE_NAMES = Object.keys(EFA_INSTANCE_TYPES) as EfaInstanceTypeName[];

export interface EfaInterfaceSlot {
  readonly networkCardIndex: number;
  readonly deviceIndex: number;
  /**
   * `interface`: ENA only, the primary interface that carries the instance's
   * IP address; `efa-only`: an EFA device without an IP address (it uses no
   * address of the subnet).
   */
  readonly interfaceType: "interface" | "efa-only";
}

/**
 * The interface layout the EC2 user guide prescribes ("Maximize network
 * bandwidth on Amazon EC2 instances with multiple network cards",
 * docs.aws.amazon.com/AWSEC2/latest/UserGuide/efa-acc-inst-types.html):
 *
 * - the primary interface (card 0, device 0) is ENA (`interface`); an
 *   EFA-only interface can never be primary;
 * - card 0 carries an EFA-only interface at device index 1 when it supports
 *   EFA (every type of the table does);
 * - the next cards carry an EFA-only interface each, at device index 0.
 *
 * So a type gets exactly its EFA count of `efa-only` interfaces plus one ENA
 * interface: 33 on p5.48xlarge, 2 on g5.48xlarge.
 */
export function efaInterfaceLayout(type: EfaInstanceTypeName | EfaInstanceType | Pick<EfaInstanceType, "efaInterfaces" | "efaOnCardZero">): EfaInterfaceSlot[] {
  const spec: Pick<EfaInstanceType, "efaInterfaces" | "efaOnCardZero"> = typeof type === "string" ? EFA_INSTANCE_TYPES[type] : type;
  const first = spec.efaOnCardZero === false ? 1 : 0;
  const slots: EfaInterfaceSlot[] = [{ networkCardIndex: 0, deviceIndex: 0, interfaceType: "interface" }];
  for (let card = first; card < first + spec.efaInterfaces; card++) {
    slots.push({ networkCardIndex: card, deviceIndex: card === 0 ? 1 : 0, interfaceType: "efa-only" });
  }
  return slots;
}

/** Network cards a type has: as given, or one per EFA interface plus card 0 when it has no EFA. */
export function networkCardsOf(spec: Pick<EfaInstanceType, "efaInterfaces" | "efaOnCardZero" | "networkCards">): number {
  return spec.networkCards ?? spec.efaInterfaces + (spec.efaOnCardZero === false ? 1 : 0);
}
