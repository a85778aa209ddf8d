// Worker-thread entry point: rebuilds the activation from its JSON spec and runs one range of a
// kernel. Results are structured-cloned back; the copy is small next to the kernel's work.
import { activationFromSpec } from './activations/index.js';
import { runSdeChunk, type SdeJob } from '../sde/kernels.js';
import type { NetworkJob } from '../networks/job.js';
import { runNetworkChunk } from '../networks/sample.js';

interface Task {
  type: string;
  [key: string]: unknown;
}

export default function runTask(task: Task): unknown {
  switch (task.type) {
    case 'sde': {
      const limit = activationFromSpec(task.activation).limit!;
      return runSdeChunk(task.job as SdeJob, limit, task.start as number, task.count as number);
    }
    case 'network':
      return runNetworkChunk(task.job as NetworkJob, activationFromSpec(task.activation), task.start as number, task.count as number);
    default:
      throw new Error(`unknown worker task type ${JSON.stringify(task.type)}`);
  }
}
