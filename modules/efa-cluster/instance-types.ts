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
 */
export interface EfaInstanceType {
  /** EFA interfaces, one per network card. */
  readonly efaInterfaces: number;
  /** Aggregate network bandwidth in Gbps. */
  readonly networkGbps: number;
  readonly accelerators: string;
  /** GPU (NVIDIA) or Neuron (Trainium): decides which AMI family fits. */
  readonly family: "gpu" | "neuron";
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
  /** `efa`: EFA with ENA (carries IP, the primary interface); `efa-only`: EFA device, no IP address. */
  readonly interfaceType: "efa" | "efa-only";
}

/**
 * One EFA per network card, as AWS documents for multi-card instances: the
 * primary interface (card 0, device 0) is EFA with ENA, since an EFA-only
 * interface cannot be primary; every other card carries an EFA-only
 * interface at device index 1, which uses no IP address of the subnet.
 */
export function efaInterfaceLayout(type: EfaInstanceTypeName): EfaInterfaceSlot[] {
  const count = EFA_INSTANCE_TYPES[type].efaInterfaces;
  return Array.from({ length: count }, (_, card) =>
    card === 0 ? { networkCardIndex: 0, deviceIndex: 0, interfaceType: "efa" } : { networkCardIndex: card, deviceIndex: 1, interfaceType: "efa-only" },
  );
}
