/**
 * The network model of a document, built once however many rules read it:
 * a policy run wraps its JSON in one TfDocument, and the rules only read the
 * model.
 */
import { buildModel, type NetworkModel } from "../model";
import type { TfDocument } from "../tfjson";

const models = new WeakMap<TfDocument, NetworkModel>();

export function modelOf(doc: TfDocument): NetworkModel {
  let model = models.get(doc);
  if (!model) models.set(doc, (model = buildModel(doc)));
  return model;
}
