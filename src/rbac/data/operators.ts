/**
 * The RBAC that ML operators install, by the names their upstream manifests give it, so a finding
 * says "KServe controller" instead of a bare account. Sources: kserve/kserve config/rbac and
 * config/default (kserve-controller-manager, kserve-manager-role), kserve/modelmesh-serving
 * config/rbac, ray-project/kuberay helm-chart/kuberay-operator, kubeflow/training-operator
 * manifests/base/rbac, kubeflow/trainer manifests, kubeflow/mpi-operator manifests/base,
 * kubeflow/kubeflow components/notebook-controller/config/rbac and crud-web-apps/jupyter,
 * kubeflow/katib manifests/v1beta1/components/controller, SeldonIO/seldon-core operator/config/rbac.
 * Names only: what each may do is judged by the same rules as everyone else.
 */
export interface OperatorRbac {
  operator: string;
  component: string;
  serviceAccounts: readonly string[];
  roles: readonly string[];
}

export const ML_OPERATORS: readonly OperatorRbac[] = [
  { operator: 'KServe', component: 'controller', serviceAccounts: ['kserve-controller-manager'], roles: ['kserve-manager-role', 'kserve-leader-election-role', 'kserve-proxy-role'] },
  { operator: 'KServe', component: 'local model controller', serviceAccounts: ['kserve-localmodel-controller-manager'], roles: ['kserve-localmodel-manager-role'] },
  { operator: 'KServe ModelMesh', component: 'controller', serviceAccounts: ['modelmesh-controller'], roles: ['modelmesh-controller-role', 'modelmesh-controller-restricted-scc'] },
  { operator: 'KubeRay', component: 'operator', serviceAccounts: ['kuberay-operator'], roles: ['kuberay-operator', 'kuberay-operator-leader-election'] },
  { operator: 'KubeRay', component: 'API server', serviceAccounts: ['kuberay-apiserver'], roles: ['kuberay-apiserver'] },
  { operator: 'Kubeflow Training Operator', component: 'controller', serviceAccounts: ['training-operator'], roles: ['training-operator', 'kubeflow-training-admin', 'kubeflow-training-edit', 'kubeflow-training-view'] },
  { operator: 'Kubeflow Trainer', component: 'controller', serviceAccounts: ['kubeflow-trainer-controller-manager'], roles: ['kubeflow-trainer-controller-manager'] },
  { operator: 'MPI Operator', component: 'controller', serviceAccounts: ['mpi-operator'], roles: ['mpi-operator', 'kubeflow-mpijobs-admin', 'kubeflow-mpijobs-edit', 'kubeflow-mpijobs-view'] },
  { operator: 'Kubeflow Notebooks', component: 'notebook controller', serviceAccounts: ['notebook-controller-service-account'], roles: ['notebook-controller-role', 'kubeflow-notebooks-admin', 'kubeflow-notebooks-edit', 'kubeflow-notebooks-view'] },
  { operator: 'Kubeflow Notebooks', component: 'Jupyter web app', serviceAccounts: ['jupyter-web-app-service-account'], roles: ['jupyter-web-app-cluster-role', 'jupyter-web-app-kubeflow-notebook-ui-admin', 'jupyter-web-app-kubeflow-notebook-ui-edit', 'jupyter-web-app-kubeflow-notebook-ui-view'] },
  { operator: 'Kubeflow Katib', component: 'controller', serviceAccounts: ['katib-controller'], roles: ['katib-controller'] },
  { operator: 'Seldon Core', component: 'manager', serviceAccounts: ['seldon-manager'], roles: ['seldon-manager-role', 'seldon-manager-sas-role'] },
];

const BY_SA = new Map<string, OperatorRbac>();
const BY_ROLE = new Map<string, OperatorRbac>();
for (const entry of ML_OPERATORS) {
  for (const sa of entry.serviceAccounts) BY_SA.set(sa, entry);
  for (const role of entry.roles) BY_ROLE.set(role, entry);
}

export const operatorOfServiceAccount = (name: string): OperatorRbac | undefined => BY_SA.get(name);
export const operatorOfRole = (name: string): OperatorRbac | undefined => BY_ROLE.get(name);
