package ddl

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"

	pg "github.com/pganalyze/pg_query_go/v6"
)

// converter turns one parsed statement into this package's syntax tree.
type converter struct {
	pos func(loc int32) Pos // maps a location in the parsed text to a file position
	sql string              // the parsed text
	// deparse collects the top-level expressions whose Text is filled in
	// after conversion, in one pass.
	deparse []deparseJob
}

type deparseJob struct {
	expr *Expr
	node *pg.Node
}

// expr converts a top-level expression and schedules its Text.
func (c *converter) topExpr(n *pg.Node) *Expr {
	if n == nil {
		return nil
	}
	e := c.expr(n)
	c.deparse = append(c.deparse, deparseJob{e, n})
	return e
}

func (c *converter) stmt(n *pg.Node) []Node {
	switch s := n.Node.(type) {
	case *pg.Node_CreateStmt:
		return []Node{c.createTable(s.CreateStmt, false)}
	case *pg.Node_CreateForeignTableStmt:
		return []Node{c.createTable(s.CreateForeignTableStmt.BaseStmt, true)}
	case *pg.Node_CreateTableAsStmt:
		return []Node{c.createTableAs(s.CreateTableAsStmt)}
	case *pg.Node_ViewStmt:
		v := s.ViewStmt
		return []Node{&CreateView{
			Name:      rangeVarName(v.View),
			Columns:   stringList(v.Aliases),
			Query:     c.query(v.Query),
			Replace:   v.Replace,
			Temporary: v.View.GetRelpersistence() == "t",
		}}
	case *pg.Node_AlterTableStmt:
		return []Node{c.alterTable(s.AlterTableStmt)}
	case *pg.Node_RenameStmt:
		return []Node{c.rename(s.RenameStmt)}
	case *pg.Node_AlterObjectSchemaStmt:
		a := s.AlterObjectSchemaStmt
		name := rangeVarName(a.Relation)
		if a.Relation == nil {
			name = objectQName(a.Object)
		}
		return []Node{&SetSchema{Object: objectTypeName(a.ObjectType), Name: name, NewSchema: a.Newschema, IfExists: a.MissingOk}}
	case *pg.Node_RuleStmt:
		return []Node{ruleStmt(s.RuleStmt)}
	case *pg.Node_DropStmt:
		return []Node{c.drop(s.DropStmt)}
	case *pg.Node_IndexStmt:
		return []Node{c.createIndex(s.IndexStmt)}
	case *pg.Node_CreateEnumStmt:
		e := s.CreateEnumStmt
		return []Node{&CreateEnum{Name: nameList(e.TypeName), Values: stringList(e.Vals)}}
	case *pg.Node_AlterEnumStmt:
		e := s.AlterEnumStmt
		return []Node{&AlterEnum{
			Name: nameList(e.TypeName), Value: e.NewVal, OldValue: e.OldVal,
			Neighbor: e.NewValNeighbor, After: e.NewValIsAfter, IfNotExists: e.SkipIfNewValExists,
		}}
	case *pg.Node_CreateDomainStmt:
		d := s.CreateDomainStmt
		out := &CreateDomain{Name: nameList(d.Domainname), Type: c.typeName(d.TypeName)}
		if d.CollClause != nil {
			out.Collation = stringList(d.CollClause.Collname)
		}
		for _, k := range d.Constraints {
			if k := c.constraint(k.GetConstraint()); k != nil {
				out.Constraints = append(out.Constraints, k)
			}
		}
		return []Node{out}
	case *pg.Node_AlterDomainStmt:
		return []Node{c.alterDomain(s.AlterDomainStmt)}
	case *pg.Node_CompositeTypeStmt:
		t := s.CompositeTypeStmt
		out := &CreateComposite{Name: rangeVarName(t.Typevar)}
		for _, col := range t.Coldeflist {
			out.Columns = append(out.Columns, c.columnDef(col.GetColumnDef()))
		}
		return []Node{out}
	case *pg.Node_CreateRangeStmt:
		r := s.CreateRangeStmt
		out := &CreateRange{Name: nameList(r.TypeName)}
		for _, p := range r.Params {
			if d := p.GetDefElem(); d != nil && d.Defname == "subtype" {
				out.Subtype = c.typeName(d.Arg.GetTypeName())
			}
		}
		return []Node{out}
	case *pg.Node_DefineStmt:
		if s.DefineStmt.Kind == pg.ObjectType_OBJECT_TYPE {
			return []Node{&CreateBaseType{Name: nameList(s.DefineStmt.Defnames)}}
		}
	case *pg.Node_CreateSchemaStmt:
		return c.createSchema(s.CreateSchemaStmt)
	case *pg.Node_CreateExtensionStmt:
		e := s.CreateExtensionStmt
		out := &CreateExtension{Name: e.Extname, IfNotExists: e.IfNotExists}
		for _, o := range e.Options {
			if d := o.GetDefElem(); d != nil && d.Defname == "schema" {
				out.Schema = d.Arg.GetString_().GetSval()
			}
		}
		return []Node{out}
	case *pg.Node_CreateSeqStmt:
		q := s.CreateSeqStmt
		out := &CreateSequence{Name: rangeVarName(q.Sequence), IfNotExists: q.IfNotExists}
		for _, o := range q.Options {
			if d := o.GetDefElem(); d != nil {
				switch d.Defname {
				case "owned_by":
					out.OwnedBy = stringList(d.Arg.GetList().GetItems())
				case "as":
					out.Type = c.typeName(d.Arg.GetTypeName())
				}
			}
		}
		return []Node{out}
	case *pg.Node_AlterSeqStmt:
		q := s.AlterSeqStmt
		out := &AlterSequence{Name: rangeVarName(q.Sequence), IfExists: q.MissingOk}
		for _, o := range q.Options {
			if d := o.GetDefElem(); d != nil && d.Defname == "owned_by" {
				out.OwnedBy = stringList(d.Arg.GetList().GetItems())
			}
		}
		return []Node{out}
	case *pg.Node_CommentStmt:
		return []Node{commentStmt(s.CommentStmt)}
	case *pg.Node_VariableSetStmt:
		return []Node{variableSet(s.VariableSetStmt)}
	case *pg.Node_SelectStmt:
		if set := setConfig(s.SelectStmt); set != nil {
			return []Node{set}
		}
	case *pg.Node_DoStmt:
		return []Node{c.doBlock(s.DoStmt)}
	case *pg.Node_CreateFunctionStmt:
		return []Node{c.createFunction(s.CreateFunctionStmt)}
	}
	return []Node{&Other{Kind: statementKind(n)}}
}

func (c *converter) createTable(s *pg.CreateStmt, foreign bool) *CreateTable {
	t := &CreateTable{
		Name:        rangeVarName(s.Relation),
		IfNotExists: s.IfNotExists,
		Temporary:   s.Relation.GetRelpersistence() == "t",
		Partitioned: s.Partspec != nil,
		Foreign:     foreign,
	}
	if s.OfTypename != nil {
		t.OfType = c.typeName(s.OfTypename)
	}
	for _, e := range s.TableElts {
		switch el := e.Node.(type) {
		case *pg.Node_ColumnDef:
			t.Columns = append(t.Columns, c.columnDef(el.ColumnDef))
		case *pg.Node_Constraint:
			if k := c.constraint(el.Constraint); k != nil {
				t.Constraints = append(t.Constraints, k)
			}
		case *pg.Node_TableLikeClause:
			like := c.tableLike(el.TableLikeClause)
			like.At = len(t.Columns)
			t.Likes = append(t.Likes, like)
		}
	}
	for _, k := range s.Constraints {
		if k := c.constraint(k.GetConstraint()); k != nil {
			t.Constraints = append(t.Constraints, k)
		}
	}
	var parents []QName
	for _, r := range s.InhRelations {
		parents = append(parents, rangeVarName(r.GetRangeVar()))
	}
	if s.Partbound != nil && len(parents) == 1 {
		t.PartitionOf = &parents[0]
	} else {
		t.Inherits = parents
	}
	return t
}

// TABLE LIKE option bits, from PostgreSQL's TableLikeOption.
const (
	likeComments    = 1 << 0
	likeConstraints = 1 << 2
	likeDefaults    = 1 << 3
	likeGenerated   = 1 << 4
	likeIdentity    = 1 << 5
	likeIndexes     = 1 << 6
)

func (c *converter) tableLike(l *pg.TableLikeClause) *TableLike {
	o := l.Options
	return &TableLike{
		Source:               rangeVarName(l.Relation),
		IncludingDefaults:    o&likeDefaults != 0,
		IncludingConstraints: o&likeConstraints != 0,
		IncludingIdentity:    o&likeIdentity != 0,
		IncludingGenerated:   o&likeGenerated != 0,
		IncludingIndexes:     o&likeIndexes != 0,
		IncludingComments:    o&likeComments != 0,
		Pos:                  c.pos(l.Relation.GetLocation()),
	}
}

func (c *converter) createTableAs(s *pg.CreateTableAsStmt) *CreateTableAs {
	return &CreateTableAs{
		Name:         rangeVarName(s.Into.GetRel()),
		Columns:      stringList(s.Into.GetColNames()),
		Query:        c.query(s.Query),
		Materialized: s.Objtype == pg.ObjectType_OBJECT_MATVIEW,
		IfNotExists:  s.IfNotExists,
	}
}

func (c *converter) columnDef(d *pg.ColumnDef) *ColumnDef {
	if d == nil {
		return &ColumnDef{}
	}
	col := &ColumnDef{Name: d.Colname, Pos: c.pos(d.Location)}
	if d.TypeName != nil {
		col.Type = c.typeName(d.TypeName)
	}
	if d.CollClause != nil {
		col.Collation = stringList(d.CollClause.Collname)
	}
	if d.IsNotNull {
		col.Constraints = append(col.Constraints, &Constraint{Kind: ConstrNotNull, Pos: col.Pos})
	}
	if d.RawDefault != nil {
		col.Constraints = append(col.Constraints, &Constraint{Kind: ConstrDefault, Expr: c.topExpr(d.RawDefault), Pos: col.Pos})
	}
	for _, n := range d.Constraints {
		k := n.GetConstraint()
		if out := c.constraint(k); out != nil {
			col.Constraints = append(col.Constraints, out)
		} else if k != nil && len(col.Constraints) > 0 {
			prev := col.Constraints[len(col.Constraints)-1]
			switch k.Contype {
			case pg.ConstrType_CONSTR_ATTR_DEFERRABLE:
				prev.Deferrable = true
			case pg.ConstrType_CONSTR_ATTR_NOT_DEFERRABLE:
				prev.Deferrable = false
			case pg.ConstrType_CONSTR_ATTR_DEFERRED:
				prev.InitDeferred = true
			case pg.ConstrType_CONSTR_ATTR_IMMEDIATE:
				prev.InitDeferred = false
			}
		}
	}
	return col
}

var fkActions = map[string]string{"a": "no_action", "r": "restrict", "c": "cascade", "n": "set_null", "d": "set_default", "": "no_action"}
var fkMatch = map[string]string{"s": "simple", "f": "full", "p": "partial", "": "simple"}

func (c *converter) constraint(k *pg.Constraint) *Constraint {
	if k == nil {
		return nil
	}
	out := &Constraint{Name: k.Conname, Pos: c.pos(k.Location), NoInherit: k.IsNoInherit, NotValid: k.SkipValidation,
		Deferrable: k.Deferrable, InitDeferred: k.Initdeferred}
	switch k.Contype {
	case pg.ConstrType_CONSTR_NULL:
		out.Kind = ConstrNull
	case pg.ConstrType_CONSTR_NOTNULL:
		out.Kind = ConstrNotNull
	case pg.ConstrType_CONSTR_DEFAULT:
		out.Kind = ConstrDefault
		out.Expr = c.topExpr(k.RawExpr)
	case pg.ConstrType_CONSTR_IDENTITY:
		out.Kind = ConstrIdentity
		out.When = identityWhen(k.GeneratedWhen)
	case pg.ConstrType_CONSTR_GENERATED:
		out.Kind = ConstrGenerated
		out.When = "stored"
		out.Expr = c.topExpr(k.RawExpr)
	case pg.ConstrType_CONSTR_CHECK:
		out.Kind = ConstrCheck
		out.Expr = c.topExpr(k.RawExpr)
	case pg.ConstrType_CONSTR_PRIMARY:
		out.Kind = ConstrPrimaryKey
		out.Columns = stringList(k.Keys)
		out.UsingIndex = k.Indexname
	case pg.ConstrType_CONSTR_UNIQUE:
		out.Kind = ConstrUnique
		out.Columns = stringList(k.Keys)
		out.UsingIndex = k.Indexname
		out.NullsNotDistinct = k.NullsNotDistinct
	case pg.ConstrType_CONSTR_EXCLUSION:
		out.Kind = ConstrExclusion
		out.UsingIndex = k.Indexname
		if k.WhereClause != nil {
			out.Where = c.topExpr(k.WhereClause)
		}
	case pg.ConstrType_CONSTR_FOREIGN:
		out.Kind = ConstrForeignKey
		out.Columns = stringList(k.FkAttrs)
		out.RefTable = rangeVarName(k.Pktable)
		out.RefColumns = stringList(k.PkAttrs)
		out.OnDelete = fkActions[k.FkDelAction]
		out.OnUpdate = fkActions[k.FkUpdAction]
		out.Match = fkMatch[k.FkMatchtype]
	default: // DEFERRABLE and friends only qualify the previous constraint
		return nil
	}
	return out
}

func identityWhen(w string) string {
	if w == "d" {
		return "by_default"
	}
	return "always"
}

func (c *converter) createFunction(s *pg.CreateFunctionStmt) *CreateFunction {
	f := &CreateFunction{Name: nameList(s.Funcname), Replace: s.Replace}
	if s.ReturnType != nil {
		f.Returns = c.typeName(s.ReturnType)
		f.SetOf = s.ReturnType.Setof
	}
	for _, p := range s.Parameters {
		fp := p.GetFunctionParameter()
		if fp == nil {
			continue
		}
		switch fp.Mode {
		case pg.FunctionParameterMode_FUNC_PARAM_OUT, pg.FunctionParameterMode_FUNC_PARAM_INOUT, pg.FunctionParameterMode_FUNC_PARAM_TABLE:
			f.Columns = append(f.Columns, &ColumnDef{Name: fp.Name, Type: c.typeName(fp.ArgType)})
		}
	}
	return f
}

func (c *converter) alterTable(s *pg.AlterTableStmt) *AlterTable {
	a := &AlterTable{
		Name:     rangeVarName(s.Relation),
		Object:   objectTypeName(s.Objtype),
		IfExists: s.MissingOk,
		Only:     s.Relation != nil && !s.Relation.Inh,
	}
	for _, n := range s.Cmds {
		if cmd := c.alterCmd(n.GetAlterTableCmd()); cmd != nil {
			a.Cmds = append(a.Cmds, cmd)
		}
	}
	return a
}

func (c *converter) alterCmd(k *pg.AlterTableCmd) *AlterCmd {
	if k == nil {
		return nil
	}
	cmd := &AlterCmd{Column: k.Name, IfExists: k.MissingOk, Cascade: k.Behavior == pg.DropBehavior_DROP_CASCADE}
	switch k.Subtype {
	case pg.AlterTableType_AT_AddColumn, pg.AlterTableType_AT_AddColumnToView:
		cmd.Kind = AddColumn
		cmd.ColumnDef = c.columnDef(k.Def.GetColumnDef())
		cmd.Column = cmd.ColumnDef.Name
		cmd.Pos = cmd.ColumnDef.Pos
	case pg.AlterTableType_AT_DropColumn:
		cmd.Kind = DropColumn
	case pg.AlterTableType_AT_AlterColumnType:
		cmd.Kind = AlterColumnType
		if d := k.Def.GetColumnDef(); d != nil {
			cmd.Type = c.typeName(d.TypeName)
			cmd.Pos = c.pos(d.Location)
		}
	case pg.AlterTableType_AT_SetNotNull:
		cmd.Kind = SetNotNull
	case pg.AlterTableType_AT_DropNotNull:
		cmd.Kind = DropNotNull
	case pg.AlterTableType_AT_ColumnDefault:
		if k.Def == nil {
			cmd.Kind = DropDefault
		} else {
			cmd.Kind = SetDefault
			cmd.Expr = c.topExpr(k.Def)
		}
	case pg.AlterTableType_AT_AddConstraint:
		cmd.Kind = AddConstraint
		cmd.Constraint = c.constraint(k.Def.GetConstraint())
		if cmd.Constraint == nil {
			return nil
		}
		cmd.Pos = cmd.Constraint.Pos
	case pg.AlterTableType_AT_DropConstraint:
		cmd.Kind = DropConstraint
		cmd.Name, cmd.Column = k.Name, ""
	case pg.AlterTableType_AT_AddIdentity:
		cmd.Kind = AddIdentity
		cmd.Constraint = c.constraint(k.Def.GetConstraint())
	case pg.AlterTableType_AT_SetIdentity:
		cmd.Kind = SetIdentity
		for _, o := range k.Def.GetList().GetItems() {
			if d := o.GetDefElem(); d != nil && d.Defname == "generated" {
				w := "a"
				if d.Arg.GetInteger().GetIval() == 'd' {
					w = "d"
				}
				cmd.Constraint = &Constraint{Kind: ConstrIdentity, When: identityWhen(w)}
			}
		}
		if cmd.Constraint == nil {
			cmd.Kind = AlterOther
			cmd.What = "ALTER COLUMN SET identity options"
		}
	case pg.AlterTableType_AT_DropIdentity:
		cmd.Kind = DropIdentity
	case pg.AlterTableType_AT_DropExpression:
		cmd.Kind = DropExpression
	case pg.AlterTableType_AT_AttachPartition:
		cmd.Kind = AttachPartition
		cmd.Table = rangeVarName(k.Def.GetPartitionCmd().GetName())
	case pg.AlterTableType_AT_DetachPartition, pg.AlterTableType_AT_DetachPartitionFinalize:
		cmd.Kind = DetachPartition
		cmd.Table = rangeVarName(k.Def.GetPartitionCmd().GetName())
	case pg.AlterTableType_AT_AddInherit:
		cmd.Kind = AddInherit
		cmd.Table = rangeVarName(k.Def.GetRangeVar())
	case pg.AlterTableType_AT_DropInherit:
		cmd.Kind = DropInherit
		cmd.Table = rangeVarName(k.Def.GetRangeVar())
	case pg.AlterTableType_AT_AddOf:
		cmd.Kind = AddOf
		cmd.Type = c.typeName(k.Def.GetTypeName())
	case pg.AlterTableType_AT_DropOf:
		cmd.Kind = DropOf
	default:
		cmd.Kind = AlterOther
		cmd.What = strings.TrimPrefix(k.Subtype.String(), "AT_")
	}
	return cmd
}

func (c *converter) rename(s *pg.RenameStmt) *Rename {
	r := &Rename{Object: objectTypeName(s.RenameType), Old: s.Subname, New: s.Newname, IfExists: s.MissingOk}
	if s.Relation != nil {
		r.Relation = rangeVarName(s.Relation)
	}
	switch s.RenameType {
	case pg.ObjectType_OBJECT_TABLE, pg.ObjectType_OBJECT_VIEW, pg.ObjectType_OBJECT_MATVIEW,
		pg.ObjectType_OBJECT_FOREIGN_TABLE, pg.ObjectType_OBJECT_INDEX, pg.ObjectType_OBJECT_SEQUENCE:
		r.Target = r.Relation
		r.Old = r.Relation.Name
	case pg.ObjectType_OBJECT_SCHEMA:
		r.Target = QName{Name: s.Subname}
	case pg.ObjectType_OBJECT_TYPE, pg.ObjectType_OBJECT_DOMAIN:
		r.Target = objectQName(s.Object)
		r.Old = r.Target.Name
	case pg.ObjectType_OBJECT_DOMCONSTRAINT:
		r.Target = objectQName(s.Object)
	}
	return r
}

func (c *converter) drop(s *pg.DropStmt) *Drop {
	d := &Drop{Object: objectTypeName(s.RemoveType), IfExists: s.MissingOk, Cascade: s.Behavior == pg.DropBehavior_DROP_CASCADE}
	for _, o := range s.Objects {
		if s.RemoveType == pg.ObjectType_OBJECT_RULE {
			// DROP RULE name ON table: the parsed name is table parts + rule.
			parts := stringList(o.GetList().GetItems())
			if len(parts) > 0 {
				d.On = qnameOf(parts[:len(parts)-1])
				d.Names = append(d.Names, QName{Name: parts[len(parts)-1]})
			}
			continue
		}
		d.Names = append(d.Names, objectQName(o))
	}
	return d
}

func ruleStmt(s *pg.RuleStmt) *CreateRule {
	r := &CreateRule{
		Name: s.Rulename, Table: rangeVarName(s.Relation), Instead: s.Instead,
		Conditional: s.WhereClause != nil, Replace: s.Replace,
		Event: strings.TrimPrefix(s.Event.String(), "CMD_"),
	}
	for _, a := range s.Actions {
		switch a := a.Node.(type) {
		case *pg.Node_InsertStmt:
			r.Returning = r.Returning || len(a.InsertStmt.ReturningList) > 0
		case *pg.Node_UpdateStmt:
			r.Returning = r.Returning || len(a.UpdateStmt.ReturningList) > 0
		case *pg.Node_DeleteStmt:
			r.Returning = r.Returning || len(a.DeleteStmt.ReturningList) > 0
		}
	}
	return r
}

func (c *converter) createIndex(s *pg.IndexStmt) *CreateIndex {
	ix := &CreateIndex{
		Name: s.Idxname, Table: rangeVarName(s.Relation), Unique: s.Unique,
		NullsNotDistinct: s.NullsNotDistinct, IfNotExists: s.IfNotExists,
		Only: s.Relation != nil && !s.Relation.Inh,
	}
	for _, p := range s.IndexParams {
		e := p.GetIndexElem()
		if e == nil {
			continue
		}
		el := &IndexElem{Column: e.Name}
		if e.Expr != nil {
			el.Expr = c.topExpr(e.Expr)
		}
		ix.Elems = append(ix.Elems, el)
	}
	if s.WhereClause != nil {
		ix.Where = c.topExpr(s.WhereClause)
	}
	return ix
}

func (c *converter) alterDomain(s *pg.AlterDomainStmt) *AlterDomain {
	d := &AlterDomain{Name: nameList(s.TypeName), IfExists: s.MissingOk, ConstrName: s.Name}
	switch s.Subtype {
	case "T":
		if s.Def == nil {
			d.Action = "drop_default"
		} else {
			d.Action = "set_default"
			d.Expr = c.topExpr(s.Def)
		}
	case "N":
		d.Action = "drop_not_null"
	case "O":
		d.Action = "set_not_null"
	case "C":
		d.Action = "add_constraint"
		d.Constraint = c.constraint(s.Def.GetConstraint())
	case "X":
		d.Action = "drop_constraint"
	default:
		d.Action = "other"
	}
	return d
}

// createSchema returns CREATE SCHEMA followed by the statements embedded in
// it, whose unqualified names belong to the new schema.
func (c *converter) createSchema(s *pg.CreateSchemaStmt) []Node {
	name := s.Schemaname
	if name == "" && s.Authrole != nil {
		name = s.Authrole.Rolename
	}
	out := []Node{&CreateSchema{Name: name, IfNotExists: s.IfNotExists}}
	for _, e := range s.SchemaElts {
		for _, n := range c.stmt(e) {
			qualify(n, name)
			out = append(out, n)
		}
	}
	return out
}

// qualify puts the unqualified object a statement creates into schema.
func qualify(n Node, schema string) {
	set := func(q *QName) {
		if q.Schema == "" {
			q.Schema = schema
		}
	}
	switch s := n.(type) {
	case *CreateTable:
		set(&s.Name)
	case *CreateView:
		set(&s.Name)
	case *CreateIndex:
		set(&s.Table)
	case *CreateSequence:
		set(&s.Name)
	}
}

func commentStmt(s *pg.CommentStmt) *Comment {
	c := &Comment{Object: objectTypeName(s.Objtype), Text: s.Comment, Null: s.Comment == ""}
	switch o := s.Object.GetNode().(type) {
	case *pg.Node_List:
		if s.Objtype == pg.ObjectType_OBJECT_DOMCONSTRAINT && len(o.List.Items) == 2 {
			c.Names = append(typeNameParts(o.List.Items[0].GetTypeName()), o.List.Items[1].GetString_().GetSval())
			return c
		}
		c.Names = stringList(o.List.Items)
	case *pg.Node_TypeName:
		c.Names = typeNameParts(o.TypeName)
	case *pg.Node_String_:
		c.Names = []string{o.String_.Sval}
	case *pg.Node_ObjectWithArgs:
		c.Names = stringList(o.ObjectWithArgs.Objname)
	}
	if s.Objtype == pg.ObjectType_OBJECT_TABCONSTRAINT && len(c.Names) >= 2 {
		c.On = qnameOf(c.Names[:len(c.Names)-1])
	}
	return c
}

func variableSet(s *pg.VariableSetStmt) Node {
	set := &Set{Name: strings.ToLower(s.Name), Local: s.IsLocal}
	switch s.Kind {
	case pg.VariableSetKind_VAR_SET_VALUE:
		for _, a := range s.Args {
			set.Values = append(set.Values, constString(a))
		}
	case pg.VariableSetKind_VAR_SET_DEFAULT, pg.VariableSetKind_VAR_RESET:
		set.Reset = true
	case pg.VariableSetKind_VAR_RESET_ALL:
		set.Reset, set.Name = true, "all"
	default:
		return &Other{Kind: "SET"}
	}
	return set
}

// setConfig recognizes SELECT [pg_catalog.]set_config('name', 'value', is_local),
// which pg_dump uses to set search_path.
func setConfig(s *pg.SelectStmt) *Set {
	if len(s.TargetList) != 1 || len(s.FromClause) != 0 {
		return nil
	}
	f := s.TargetList[0].GetResTarget().GetVal().GetFuncCall()
	if f == nil || len(f.Args) != 3 {
		return nil
	}
	name := stringList(f.Funcname)
	if len(name) == 0 || name[len(name)-1] != "set_config" {
		return nil
	}
	k, v := f.Args[0].GetAConst(), f.Args[1].GetAConst()
	if k == nil || v == nil || k.GetSval() == nil || v.GetSval() == nil {
		return nil
	}
	local := false
	if b := f.Args[2].GetAConst().GetBoolval(); b != nil {
		local = b.Boolval
	}
	return &Set{Name: strings.ToLower(k.GetSval().Sval), Values: []string{v.GetSval().Sval}, Local: local, Raw: true}
}

func constString(n *pg.Node) string {
	if a := n.GetAConst(); a != nil {
		switch v := a.Val.(type) {
		case *pg.A_Const_Sval:
			return v.Sval.Sval
		case *pg.A_Const_Ival:
			return strconv.FormatInt(int64(v.Ival.Ival), 10)
		case *pg.A_Const_Fval:
			return v.Fval.Fval
		case *pg.A_Const_Boolval:
			return strconv.FormatBool(v.Boolval.Boolval)
		}
	}
	return ""
}

func (c *converter) typeName(t *pg.TypeName) *TypeName {
	if t == nil {
		return nil
	}
	out := &TypeName{Names: typeNameParts(t), PctType: t.PctType, ArrayDims: len(t.ArrayBounds), Pos: c.pos(t.Location)}
	for _, m := range t.Typmods {
		switch v := m.Node.(type) {
		case *pg.Node_AConst:
			switch x := v.AConst.Val.(type) {
			case *pg.A_Const_Ival:
				out.Mods = append(out.Mods, TypeMod{Int: int64(x.Ival.Ival), IsInt: true, Text: strconv.Itoa(int(x.Ival.Ival))})
			case *pg.A_Const_Sval:
				out.Mods = append(out.Mods, TypeMod{Text: x.Sval.Sval})
			case *pg.A_Const_Fval:
				out.Mods = append(out.Mods, TypeMod{Text: x.Fval.Fval})
			}
		case *pg.Node_ColumnRef:
			out.Mods = append(out.Mods, TypeMod{Text: strings.Join(stringList(v.ColumnRef.Fields), ".")})
		}
	}
	return out
}

func typeNameParts(t *pg.TypeName) []string {
	if t == nil {
		return nil
	}
	return stringList(t.Names)
}

func rangeVarName(r *pg.RangeVar) QName {
	if r == nil {
		return QName{}
	}
	return QName{Schema: r.Schemaname, Name: r.Relname}
}

// objectQName reads the name of a DROP or COMMENT object: a list of name
// parts, a type name or a plain string.
func objectQName(n *pg.Node) QName {
	switch o := n.GetNode().(type) {
	case *pg.Node_List:
		return qnameOf(stringList(o.List.Items))
	case *pg.Node_TypeName:
		return qnameOf(typeNameParts(o.TypeName))
	case *pg.Node_String_:
		return QName{Name: o.String_.Sval}
	case *pg.Node_ObjectWithArgs:
		return qnameOf(stringList(o.ObjectWithArgs.Objname))
	}
	return QName{}
}

func nameList(items []*pg.Node) QName { return qnameOf(stringList(items)) }

// qnameOf keeps the last two parts of a name; a database name in front is
// ignored, as PostgreSQL does for the current database.
func qnameOf(parts []string) QName {
	switch len(parts) {
	case 0:
		return QName{}
	case 1:
		return QName{Name: parts[0]}
	}
	return QName{Schema: parts[len(parts)-2], Name: parts[len(parts)-1]}
}

func stringList(items []*pg.Node) []string {
	out := make([]string, 0, len(items))
	for _, n := range items {
		switch v := n.Node.(type) {
		case *pg.Node_String_:
			out = append(out, v.String_.Sval)
		case *pg.Node_AStar:
			out = append(out, "*")
		case *pg.Node_AConst:
			out = append(out, constString(n))
		}
	}
	return out
}

var objectTypeNames = map[pg.ObjectType]string{
	pg.ObjectType_OBJECT_TABLE:         "table",
	pg.ObjectType_OBJECT_VIEW:          "view",
	pg.ObjectType_OBJECT_MATVIEW:       "materialized_view",
	pg.ObjectType_OBJECT_FOREIGN_TABLE: "foreign_table",
	pg.ObjectType_OBJECT_INDEX:         "index",
	pg.ObjectType_OBJECT_SEQUENCE:      "sequence",
	pg.ObjectType_OBJECT_TYPE:          "type",
	pg.ObjectType_OBJECT_DOMAIN:        "domain",
	pg.ObjectType_OBJECT_SCHEMA:        "schema",
	pg.ObjectType_OBJECT_COLUMN:        "column",
	pg.ObjectType_OBJECT_ATTRIBUTE:     "attribute",
	pg.ObjectType_OBJECT_TABCONSTRAINT: "constraint",
	pg.ObjectType_OBJECT_DOMCONSTRAINT: "domain_constraint",
	pg.ObjectType_OBJECT_EXTENSION:     "extension",
	pg.ObjectType_OBJECT_FUNCTION:      "function",
}

func objectTypeName(t pg.ObjectType) string {
	if s, ok := objectTypeNames[t]; ok {
		return s
	}
	return strings.ToLower(strings.TrimPrefix(t.String(), "OBJECT_"))
}

// statementKind names a statement for listings: CreateFunctionStmt →
// "CREATE FUNCTION".
func statementKind(n *pg.Node) string {
	switch s := n.Node.(type) {
	case *pg.Node_TransactionStmt:
		return strings.TrimPrefix(s.TransactionStmt.Kind.String(), "TRANS_STMT_")
	case *pg.Node_DefineStmt:
		return "CREATE " + strings.ToUpper(objectTypeName(s.DefineStmt.Kind))
	}
	name := fmt.Sprintf("%T", n.Node)
	name = strings.TrimPrefix(name, "*pg_query.Node_")
	name = strings.TrimSuffix(name, "Stmt")
	if k, ok := statementKinds[name]; ok {
		return k
	}
	var b strings.Builder
	for i, r := range name {
		if i > 0 && unicode.IsUpper(r) {
			b.WriteByte(' ')
		}
		b.WriteRune(unicode.ToUpper(r))
	}
	return b.String()
}

var statementKinds = map[string]string{
	"CreateTrig":      "CREATE TRIGGER",
	"CreateEventTrig": "CREATE EVENT TRIGGER",
	"CreatePLang":     "CREATE LANGUAGE",
	"Rule":            "CREATE RULE",
	"Do":              "DO",
	"Grant":           "GRANT",
	"GrantRole":       "GRANT ROLE",
	"CreateStats":     "CREATE STATISTICS",
	"CreateFdw":       "CREATE FOREIGN DATA WRAPPER",
	"VariableShow":    "SHOW",
	"Select":          "SELECT",
	"Insert":          "INSERT",
	"Update":          "UPDATE",
	"Delete":          "DELETE",
	"Copy":            "COPY",
	"Call":            "CALL",
}
