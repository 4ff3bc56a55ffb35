/** `/v1/models` list and single-model objects. */
export interface ModelInfo {
  id: string;
  /** Unix seconds. */
  created: number;
  ownedBy: string;
}

export function encodeModel(m: ModelInfo): Record<string, unknown> {
  return { id: m.id, object: 'model', created: m.created, owned_by: m.ownedBy };
}

export function encodeModelList(models: ModelInfo[]): Record<string, unknown> {
  return { object: 'list', data: models.map(encodeModel) };
}
