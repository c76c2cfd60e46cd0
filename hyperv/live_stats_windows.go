//go:build windows

package hyperv

import (
	"errors"
	"fmt"
	"runtime"
	"strings"

	ole "github.com/go-ole/go-ole"
	"github.com/go-ole/go-ole/oleutil"
)

// readWMIStatistics calls Msvm_ReplicationService.GetReplicationStatisticsEx
// (the documented way to get Msvm_ReplicationStatistics: it is an
// embedded instance, not a class one can list) for each relationship in
// rels, through COM (SWbemServices.ExecMethod_), and parses the returned
// CIM-XML instances. Built and vetted only: no Hyper-V host here.
func readWMIStatistics(rels []WMIRelationship) ([]WMIStatistics, error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if err := ole.CoInitializeEx(0, ole.COINIT_MULTITHREADED); err != nil {
		var oe *ole.OleError
		// S_FALSE (1): COM was already initialized on this thread.
		if !errors.As(err, &oe) || oe.Code() != 1 {
			return nil, fmt.Errorf("COM: %v", err)
		}
	}
	defer ole.CoUninitialize()

	unknown, err := oleutil.CreateObject("WbemScripting.SWbemLocator")
	if err != nil {
		return nil, fmt.Errorf("SWbemLocator: %v", err)
	}
	defer unknown.Release()
	locator, err := unknown.QueryInterface(ole.IID_IDispatch)
	if err != nil {
		return nil, fmt.Errorf("SWbemLocator: %v", err)
	}
	defer locator.Release()
	svc, err := dispatchOf(oleutil.CallMethod(locator, "ConnectServer", nil, namespace))
	if err != nil {
		return nil, fmt.Errorf("connect %s: %v", namespace, err)
	}
	defer svc.Release()
	service, err := firstOf(svc, "SELECT * FROM Msvm_ReplicationService")
	if err != nil {
		return nil, err
	}
	defer service.Release()

	var out []WMIStatistics
	var errs []error
	for _, r := range rels {
		vmid, extended, ok := parseRelationshipID(r.InstanceID)
		if !ok || strings.Trim(strings.ToUpper(vmid), "0123456789ABCDEF-") != "" {
			continue // only GUIDs go into the WQL below
		}
		st, err := statisticsOf(svc, service, r.InstanceID, vmid, extended)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, st)
	}
	return out, errors.Join(errs...)
}

func statisticsOf(svc, service *ole.IDispatch, instanceID, vmid string, extended bool) (WMIStatistics, error) {
	vm, err := firstOf(svc, "SELECT * FROM Msvm_ComputerSystem WHERE Name='"+vmid+"'")
	if err != nil {
		return WMIStatistics{}, err
	}
	defer vm.Release()
	pathObj, err := dispatchOf(oleutil.GetProperty(vm, "Path_"))
	if err != nil {
		return WMIStatistics{}, fmt.Errorf("VM %s: path: %v", vmid, err)
	}
	defer pathObj.Release()
	vmPath, err := oleutil.GetProperty(pathObj, "Path")
	if err != nil {
		return WMIStatistics{}, fmt.Errorf("VM %s: path: %v", vmid, err)
	}
	defer vmPath.Clear()
	rel, err := firstOf(svc, "SELECT * FROM Msvm_ReplicationRelationship WHERE InstanceID='"+strings.ReplaceAll(instanceID, `\`, `\\`)+"'")
	if err != nil {
		return WMIStatistics{}, err
	}
	defer rel.Release()
	relText, err := oleutil.CallMethod(rel, "GetText_", 1) // wbemTextFormatCIMDTD20
	if err != nil {
		return WMIStatistics{}, fmt.Errorf("VM %s: relationship as CIM-XML: %v", vmid, err)
	}
	defer relText.Clear()
	methods, err := dispatchOf(oleutil.GetProperty(service, "Methods_"))
	if err != nil {
		return WMIStatistics{}, fmt.Errorf("Msvm_ReplicationService methods: %v", err)
	}
	defer methods.Release()
	method, err := dispatchOf(oleutil.CallMethod(methods, "Item", "GetReplicationStatisticsEx"))
	if err != nil {
		return WMIStatistics{}, fmt.Errorf("GetReplicationStatisticsEx: %v", err)
	}
	defer method.Release()
	inDef, err := dispatchOf(oleutil.GetProperty(method, "InParameters"))
	if err != nil {
		return WMIStatistics{}, fmt.Errorf("GetReplicationStatisticsEx parameters: %v", err)
	}
	defer inDef.Release()
	in, err := dispatchOf(oleutil.CallMethod(inDef, "SpawnInstance_"))
	if err != nil {
		return WMIStatistics{}, fmt.Errorf("GetReplicationStatisticsEx parameters: %v", err)
	}
	defer in.Release()
	if _, err := oleutil.PutProperty(in, "ComputerSystem", vmPath.ToString()); err != nil {
		return WMIStatistics{}, fmt.Errorf("GetReplicationStatisticsEx ComputerSystem: %v", err)
	}
	if _, err := oleutil.PutProperty(in, "ReplicationRelationship", relText.ToString()); err != nil {
		return WMIStatistics{}, fmt.Errorf("GetReplicationStatisticsEx ReplicationRelationship: %v", err)
	}
	outParams, err := dispatchOf(oleutil.CallMethod(service, "ExecMethod_", "GetReplicationStatisticsEx", in))
	if err != nil {
		return WMIStatistics{}, fmt.Errorf("VM %s: GetReplicationStatisticsEx: %v", vmid, err)
	}
	defer outParams.Release()
	rv, err := oleutil.GetProperty(outParams, "ReturnValue")
	if err != nil {
		return WMIStatistics{}, fmt.Errorf("VM %s: GetReplicationStatisticsEx: %v", vmid, err)
	}
	defer rv.Clear()
	// uint32 in the method's MOF; scripting WMI hands it over as a VT_I4.
	var code int64 = -1
	switch v := rv.Value().(type) {
	case int32:
		code = int64(v)
	case uint32:
		code = int64(v)
	case int64:
		code = v
	}
	if code != 0 {
		// 4096 is "job started": the statistics would come with the job,
		// which this read does not wait for.
		return WMIStatistics{}, fmt.Errorf("VM %s: GetReplicationStatisticsEx returned %d", vmid, code)
	}
	arr, err := oleutil.GetProperty(outParams, "ReplicationStatistics")
	if err != nil {
		return WMIStatistics{}, fmt.Errorf("VM %s: GetReplicationStatisticsEx gave no statistics", vmid)
	}
	defer arr.Clear()
	if arr.VT&ole.VT_ARRAY == 0 {
		return WMIStatistics{}, fmt.Errorf("VM %s: GetReplicationStatisticsEx gave no statistics", vmid)
	}
	texts := arr.ToArray().ToStringArray()
	if len(texts) == 0 {
		return WMIStatistics{}, fmt.Errorf("VM %s: GetReplicationStatisticsEx gave no statistics", vmid)
	}
	return ParseWMIStatistics(texts[0], vmid, extended)
}

// firstOf runs a WQL query and returns its first object.
func firstOf(svc *ole.IDispatch, wql string) (*ole.IDispatch, error) {
	set, err := dispatchOf(oleutil.CallMethod(svc, "ExecQuery", wql))
	if err != nil {
		return nil, fmt.Errorf("WMI %s: %v", wql, err)
	}
	defer set.Release()
	// Each VARIANT IEnumVARIANT::Next hands over is the caller's to clear
	// (go-ole's ForEach does not): the first object's reference is kept,
	// the others' are released.
	var first *ole.IDispatch
	err = oleutil.ForEach(set, func(v *ole.VARIANT) error {
		if d := v.ToIDispatch(); first == nil && d != nil {
			first = d
			return nil
		}
		v.Clear()
		return nil
	})
	if err != nil {
		if first != nil {
			first.Release()
		}
		return nil, fmt.Errorf("WMI %s: %v", wql, err)
	}
	if first == nil {
		return nil, fmt.Errorf("WMI %s: no such object", wql)
	}
	return first, nil
}

func dispatchOf(v *ole.VARIANT, err error) (*ole.IDispatch, error) {
	if err != nil {
		return nil, err
	}
	d := v.ToIDispatch()
	if d == nil {
		return nil, errors.New("not an object")
	}
	return d, nil
}
