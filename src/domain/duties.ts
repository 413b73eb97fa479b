/**
 * Who is told of the reading room's work. Restricted material is reviewed by curators and pick
 * lists go to paging staff; where a library has none of them, its admins, who hold every right of
 * both, are told instead, so no review or paging run goes unheard. Admins are looked up only then.
 */
export const orAdmins = <Person, Admins extends readonly Person[] | Promise<readonly Person[]>>(holders: readonly Person[], admins: () => Admins): readonly Person[] | Admins =>
  holders.length > 0 ? holders : admins();
