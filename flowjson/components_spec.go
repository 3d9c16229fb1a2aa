package flowjson

// This file holds the table of the 24 components: their properties, the versions that introduced them,
// their types, enums and character limits, and where each may sit (sections B.2 and B.8 of the reference,
// cross-checked with the JSON Schema that Meta's own Flow JSON validator builds). The tables are read-
// only.

// compType identifies a component.
type compType uint8

const (
	cUnknown compType = iota
	cTextHeading
	cTextSubheading
	cTextBody
	cTextCaption
	cRichText
	cTextInput
	cTextArea
	cCheckboxGroup
	cRadioButtonsGroup
	cDropdown
	cChipsSelector
	cDatePicker
	cCalendarPicker
	cOptIn
	cEmbeddedLink
	cFooter
	cImage
	cImageCarousel
	cPhotoPicker
	cDocumentPicker
	cNavigationList
	cIf
	cSwitch
	cForm
	numCompTypes
)

// compTypeOf returns the component named name, cUnknown if there is none.
func compTypeOf(name string) compType {
	switch name {
	case "TextHeading":
		return cTextHeading
	case "TextSubheading":
		return cTextSubheading
	case "TextBody":
		return cTextBody
	case "TextCaption":
		return cTextCaption
	case "RichText":
		return cRichText
	case "TextInput":
		return cTextInput
	case "TextArea":
		return cTextArea
	case "CheckboxGroup":
		return cCheckboxGroup
	case "RadioButtonsGroup":
		return cRadioButtonsGroup
	case "Dropdown":
		return cDropdown
	case "ChipsSelector":
		return cChipsSelector
	case "DatePicker":
		return cDatePicker
	case "CalendarPicker":
		return cCalendarPicker
	case "OptIn":
		return cOptIn
	case "EmbeddedLink":
		return cEmbeddedLink
	case "Footer":
		return cFooter
	case "Image":
		return cImage
	case "ImageCarousel":
		return cImageCarousel
	case "PhotoPicker":
		return cPhotoPicker
	case "DocumentPicker":
		return cDocumentPicker
	case "NavigationList":
		return cNavigationList
	case "If":
		return cIf
	case "Switch":
		return cSwitch
	case "Form":
		return cForm
	}
	return cUnknown
}

func (c compType) String() string { return specs[c].name }

// isInput reports the components that collect a user's answer and so belong
// in the Form of their screen: Meta's list plus the later input types, as
// the reference asks (CalendarPicker, ChipsSelector).
func (c compType) isInput() bool {
	switch c {
	case cTextInput, cTextArea, cCheckboxGroup, cRadioButtonsGroup, cOptIn, cDropdown, cDatePicker,
		cPhotoPicker, cDocumentPicker, cCalendarPicker, cChipsSelector:
		return true
	}
	return false
}

// isNative reports the media pickers, whose values are files.
func (c compType) isNative() bool { return c == cPhotoPicker || c == cDocumentPicker }

// propKind is how a property's value is checked.
type propKind uint8

const (
	kString       propKind = iota // a string, static or dynamic; not blank from 6.0
	kText                         // a string that is never blank (the text of text components)
	kName                         // a component name: not blank from 4.0, not dynamic from 6.0
	kBool                         // a boolean or a dynamic reference
	kBoolStatic                   // a boolean, never dynamic
	kNumber                       // a number or a dynamic reference
	kInteger                      // an integer or a dynamic reference
	kIntStatic                    // an integer, never dynamic
	kEnum                         // one string of enum; dynamic when dyn
	kStrings                      // an array of strings or a dynamic reference
	kEnumArray                    // an array of strings of enum; dynamic when dyn
	kAction                       // an action object
	kDataSource                   // options of CheckboxGroup, RadioButtonsGroup, Dropdown, ChipsSelector
	kListItems                    // items of a NavigationList
	kImages                       // images of an ImageCarousel
	kChildren                     // an array of components
	kCases                        // the cases of a Switch
	kFormObject                   // init-values or error-messages of a Form
	kRangeString                  // a string, or in range mode {"start-date","end-date"} (CalendarPicker)
	kRangeBool                    // a boolean, or in range mode {"start-date","end-date"} of booleans
	kErrorMessage                 // a string or an object of strings (media pickers)
	kCondition                    // the condition of an If
	kSwitchValue                  // the value of a Switch: a dynamic reference only
	kTextBlock                    // TextBody/TextCaption text: a string, or from 5.1 an array of strings
	kRichText                     // RichText text: a string or an array of strings
	kImageSource                  // a base64 image or a dynamic reference
	kDate                         // a date (DatePicker, CalendarPicker)
	kDates                        // an array of dates or a dynamic reference
	kInitStrings                  // init-value of the multi-select inputs: an array of strings or a dynamic reference
	kCustom                       // checked by the caller (nested objects of list items)
)

// actKey says which action property an action object sits in.
type actKey uint8

const (
	actClick actKey = iota
	actSelect
	actUnselect
)

// prop describes one property of a component.
type prop struct {
	name          string
	kind          propKind
	since         int // first Flow JSON version with the property (0: all)
	required      bool
	requiredSince int // required from this version on (CheckboxGroup label)
	noForm        bool
	dyn           bool // for kEnum/kEnumArray: dynamic references allowed
	minLen1       bool // "" is too short (MIN_CHARS_REQUIRED)
	enum          []string
	hasMin        bool
	min, max      float64 // inclusive range of numbers (max 0: none)
	limit         int     // character limit, 0 when none
	act           actKey
}

// compSpec describes a component.
type compSpec struct {
	name  string
	since int
	props []prop
}

var (
	fontWeights = []string{"bold", "italic", "bold_italic", "normal"}
	mediaSizes  = []string{"regular", "large"}
	inputTypes  = []string{"text", "number", "email", "password", "passcode", "phone"}
	scaleTypes  = []string{"cover", "contain"}
	weekDays    = []string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}
	mimeTypes   = []string{
		"application/gzip", "application/msword", "application/pdf", "application/vnd.ms-excel",
		"application/vnd.ms-powerpoint", "application/vnd.oasis.opendocument.presentation",
		"application/vnd.oasis.opendocument.spreadsheet", "application/vnd.oasis.opendocument.text",
		"application/vnd.openxmlformats-officedocument.presentationml.presentation",
		"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		"application/vnd.openxmlformats-officedocument.wordprocessingml.document",
		"application/x-7z-compressed", "application/zip", "image/avif", "image/gif", "image/heic", "image/heif",
		"image/jpeg", "image/png", "image/tiff", "image/webp", "text/plain", "video/mp4", "video/mpeg",
	}
)

func textSpec(name string, limit int) compSpec {
	return compSpec{name: name, props: []prop{
		{name: "text", kind: kText, required: true, limit: limit},
		{name: "visible", kind: kBool},
	}}
}

func textBlockSpec(name string, limit int) compSpec {
	return compSpec{name: name, props: []prop{
		{name: "text", kind: kTextBlock, required: true, limit: limit},
		{name: "font-weight", kind: kEnum, enum: fontWeights, dyn: true},
		{name: "strikethrough", kind: kBool},
		{name: "visible", kind: kBool},
		{name: "markdown", kind: kBoolStatic, since: v51},
	}}
}

// optionListSpec is shared by CheckboxGroup, RadioButtonsGroup and Dropdown.
func optionListSpec(name string, extra ...prop) compSpec {
	props := []prop{
		{name: "data-source", kind: kDataSource, required: true},
		{name: "name", kind: kName, required: true},
		{name: "required", kind: kBool},
		{name: "enabled", kind: kBool},
		{name: "visible", kind: kBool},
		{name: "on-select-action", kind: kAction, act: actSelect},
		{name: "on-unselect-action", kind: kAction, act: actUnselect, since: v60},
		{name: "error-message", kind: kString, since: v40, noForm: true},
	}
	return compSpec{name: name, props: append(props, extra...)}
}

// specs is indexed by compType.
var specs = [numCompTypes]compSpec{
	cUnknown:        {name: "unknown"},
	cTextHeading:    textSpec("TextHeading", 80),
	cTextSubheading: textSpec("TextSubheading", 80),
	cTextBody:       textBlockSpec("TextBody", 4096),
	cTextCaption:    textBlockSpec("TextCaption", 409),
	cRichText: {name: "RichText", since: v51, props: []prop{
		{name: "text", kind: kRichText, required: true},
		{name: "visible", kind: kBool},
	}},
	cTextInput: {name: "TextInput", props: []prop{
		{name: "label", kind: kString, required: true, minLen1: true, limit: 20},
		{name: "name", kind: kName, required: true},
		{name: "input-type", kind: kEnum, enum: inputTypes},
		{name: "pattern", kind: kString, since: v62},
		{name: "required", kind: kBool},
		{name: "min-chars", kind: kNumber},
		{name: "max-chars", kind: kNumber},
		{name: "helper-text", kind: kString, limit: 80},
		{name: "enabled", kind: kBool},
		{name: "visible", kind: kBool},
		{name: "label-variant", kind: kEnum, enum: []string{"large"}, since: v70},
		{name: "init-value", kind: kString, since: v40, noForm: true},
		{name: "error-message", kind: kString, since: v40, noForm: true, limit: 30},
	}},
	cTextArea: {name: "TextArea", props: []prop{
		{name: "label", kind: kString, required: true, limit: 20},
		{name: "name", kind: kName, required: true},
		{name: "required", kind: kBool},
		{name: "max-length", kind: kInteger},
		{name: "helper-text", kind: kString, limit: 80},
		{name: "enabled", kind: kBool},
		{name: "visible", kind: kBool},
		{name: "label-variant", kind: kEnum, enum: []string{"large"}, since: v70},
		{name: "init-value", kind: kString, since: v40, noForm: true},
		{name: "error-message", kind: kString, since: v40, noForm: true},
	}},
	cCheckboxGroup: optionListSpec("CheckboxGroup",
		prop{name: "label", kind: kText, requiredSince: v40, limit: 30},
		prop{name: "description", kind: kString, since: v40},
		prop{name: "min-selected-items", kind: kNumber, hasMin: true, min: 0},
		prop{name: "max-selected-items", kind: kNumber, hasMin: true, min: 2},
		prop{name: "media-size", kind: kEnum, enum: mediaSizes, dyn: true, since: v50},
		prop{name: "init-value", kind: kInitStrings, since: v40, noForm: true},
	),
	cRadioButtonsGroup: optionListSpec("RadioButtonsGroup",
		prop{name: "label", kind: kText, requiredSince: v40, limit: 30},
		prop{name: "description", kind: kString, since: v40},
		prop{name: "media-size", kind: kEnum, enum: mediaSizes, dyn: true, since: v50},
		prop{name: "init-value", kind: kString, since: v40, noForm: true},
	),
	cDropdown: optionListSpec("Dropdown",
		prop{name: "label", kind: kString, required: true, minLen1: true, limit: 20},
		prop{name: "init-value", kind: kString, since: v40, noForm: true},
	),
	cChipsSelector: {name: "ChipsSelector", since: v63, props: []prop{
		{name: "data-source", kind: kDataSource, required: true},
		{name: "name", kind: kName, required: true},
		{name: "label", kind: kString, required: true, limit: 80},
		{name: "description", kind: kString, limit: 300},
		{name: "min-selected-items", kind: kNumber, hasMin: true, min: 0},
		{name: "max-selected-items", kind: kNumber, hasMin: true, min: 1},
		{name: "required", kind: kBool},
		{name: "enabled", kind: kBool},
		{name: "visible", kind: kBool},
		{name: "on-select-action", kind: kAction, act: actSelect},
		{name: "on-unselect-action", kind: kAction, act: actUnselect, since: v71},
		{name: "init-value", kind: kInitStrings, noForm: true},
		{name: "error-message", kind: kString, noForm: true},
	}},
	cDatePicker: {name: "DatePicker", props: []prop{
		{name: "label", kind: kString, required: true, minLen1: true, limit: 40},
		{name: "name", kind: kName, required: true},
		{name: "min-date", kind: kDate},
		{name: "max-date", kind: kDate},
		{name: "unavailable-dates", kind: kDates},
		{name: "helper-text", kind: kString, limit: 80},
		{name: "required", kind: kBool},
		{name: "enabled", kind: kBool},
		{name: "visible", kind: kBool},
		{name: "on-select-action", kind: kAction, act: actSelect},
		{name: "init-value", kind: kDate, since: v40, noForm: true},
		{name: "error-message", kind: kString, since: v40, noForm: true, limit: 80},
	}},
	cCalendarPicker: {name: "CalendarPicker", since: v61, props: []prop{
		{name: "name", kind: kName, required: true},
		{name: "label", kind: kRangeString, required: true, limit: 40},
		{name: "title", kind: kString, limit: 80},
		{name: "description", kind: kString, limit: 300},
		{name: "helper-text", kind: kRangeString, limit: 80},
		{name: "required", kind: kRangeBool},
		{name: "enabled", kind: kBool},
		{name: "visible", kind: kBool},
		{name: "mode", kind: kEnum, enum: []string{"single", "range"}, dyn: true},
		{name: "min-date", kind: kDate},
		{name: "max-date", kind: kDate},
		{name: "unavailable-dates", kind: kDates},
		{name: "include-days", kind: kEnumArray, enum: weekDays, dyn: true},
		{name: "min-days", kind: kInteger},
		{name: "max-days", kind: kInteger},
		{name: "on-select-action", kind: kAction, act: actSelect},
		{name: "init-value", kind: kRangeString, noForm: true},
		{name: "error-message", kind: kRangeString, noForm: true, limit: 80},
	}},
	cOptIn: {name: "OptIn", props: []prop{
		{name: "label", kind: kString, required: true, minLen1: true, limit: 120},
		{name: "name", kind: kName, required: true},
		{name: "required", kind: kBool},
		{name: "visible", kind: kBool},
		{name: "on-click-action", kind: kAction, act: actClick},
		{name: "on-select-action", kind: kAction, act: actSelect, since: v60},
		{name: "on-unselect-action", kind: kAction, act: actUnselect, since: v60},
		{name: "init-value", kind: kBool, since: v40, noForm: true},
	}},
	cEmbeddedLink: {name: "EmbeddedLink", props: []prop{
		{name: "text", kind: kText, required: true, limit: 25},
		{name: "on-click-action", kind: kAction, required: true, act: actClick},
		{name: "visible", kind: kBool},
	}},
	cFooter: {name: "Footer", props: []prop{
		{name: "label", kind: kString, required: true, minLen1: true, limit: 35},
		{name: "on-click-action", kind: kAction, required: true, act: actClick},
		{name: "left-caption", kind: kString, limit: 15},
		{name: "center-caption", kind: kString, limit: 15},
		{name: "right-caption", kind: kString, limit: 15},
		{name: "enabled", kind: kBool},
	}},
	cImage: {name: "Image", props: []prop{
		{name: "src", kind: kImageSource, required: true},
		{name: "width", kind: kNumber},
		{name: "height", kind: kNumber},
		{name: "scale-type", kind: kEnum, enum: scaleTypes},
		{name: "aspect-ratio", kind: kNumber},
		{name: "alt-text", kind: kString},
		{name: "visible", kind: kBool},
	}},
	cImageCarousel: {name: "ImageCarousel", since: v71, props: []prop{
		{name: "images", kind: kImages, required: true},
		{name: "aspect-ratio", kind: kEnum, enum: []string{"4:3", "16:9"}},
		{name: "scale-type", kind: kEnum, enum: []string{"contain", "cover"}},
		{name: "visible", kind: kBool},
	}},
	cPhotoPicker: {name: "PhotoPicker", since: v40, props: []prop{
		{name: "name", kind: kName, required: true},
		{name: "label", kind: kText, required: true, limit: 80},
		{name: "description", kind: kText, limit: 300},
		{name: "photo-source", kind: kEnum, enum: []string{"camera_gallery", "camera", "gallery"}},
		{name: "max-file-size-kb", kind: kIntStatic, hasMin: true, min: 1, max: 25600},
		{name: "min-uploaded-photos", kind: kIntStatic, hasMin: true, min: 0, max: 30},
		{name: "max-uploaded-photos", kind: kIntStatic, hasMin: true, min: 1, max: 30},
		{name: "enabled", kind: kBool},
		{name: "visible", kind: kBool},
		{name: "error-message", kind: kErrorMessage, noForm: true},
	}},
	cDocumentPicker: {name: "DocumentPicker", since: v40, props: []prop{
		{name: "name", kind: kName, required: true},
		{name: "label", kind: kText, required: true, limit: 80},
		{name: "description", kind: kText, limit: 300},
		{name: "max-file-size-kb", kind: kIntStatic, hasMin: true, min: 1, max: 25600},
		{name: "min-uploaded-documents", kind: kIntStatic, hasMin: true, min: 0, max: 30},
		{name: "max-uploaded-documents", kind: kIntStatic, hasMin: true, min: 1, max: 30},
		{name: "allowed-mime-types", kind: kEnumArray, enum: mimeTypes},
		{name: "enabled", kind: kBool},
		{name: "visible", kind: kBool},
		{name: "error-message", kind: kErrorMessage, noForm: true},
	}},
	cNavigationList: {name: "NavigationList", since: v62, props: []prop{
		{name: "name", kind: kName, required: true},
		{name: "list-items", kind: kListItems, required: true},
		{name: "label", kind: kString},
		{name: "description", kind: kString},
		{name: "media-size", kind: kEnum, enum: mediaSizes, dyn: true},
		{name: "on-click-action", kind: kAction, act: actClick},
	}},
	cIf: {name: "If", since: v40, props: []prop{
		{name: "condition", kind: kCondition, required: true},
		{name: "then", kind: kChildren, required: true},
		{name: "else", kind: kChildren},
	}},
	cSwitch: {name: "Switch", since: v40, props: []prop{
		{name: "value", kind: kSwitchValue, required: true},
		{name: "cases", kind: kCases, required: true},
	}},
	cForm: {name: "Form", props: []prop{
		{name: "name", kind: kString, required: true, minLen1: true},
		{name: "children", kind: kChildren, required: true},
		{name: "init-values", kind: kFormObject},
		{name: "error-messages", kind: kFormObject},
	}},
}

// findProp returns the property of spec named name, or nil.
func (s *compSpec) findProp(name string) *prop {
	for i := range s.props {
		if s.props[i].name == name {
			return &s.props[i]
		}
	}
	return nil
}

// isRequired reports whether p is required in version ver.
func (p *prop) isRequired(ver int) bool {
	return p.required || (p.requiredSince > 0 && ver >= p.requiredSince)
}

// container is where a component sits.
type container uint8

const (
	inLayout container = iota
	inForm
	inIf
	inSwitch
)

// allowedIn reports whether component c may sit in container k at If
// nesting depth ifDepth (0 for a first-level If) in version ver, and when not,
// a short reason.
func allowedIn(c compType, k container, ifDepth, ver int) (bool, string) {
	switch k {
	case inForm:
		switch c {
		case cForm, cRichText:
			return false, "is not allowed inside 'Form'"
		}
	case inIf, inSwitch:
		where := "'If'"
		if k == inSwitch {
			where = "'Switch'"
		}
		// The components reference lists what If and Switch hold; the media pickers and CalendarPicker
		// are not in the list, and nothing published shows Meta accepting them there.
		switch c {
		case cForm, cRichText, cNavigationList, cImageCarousel, cPhotoPicker, cDocumentPicker, cCalendarPicker:
			return false, "is not allowed inside " + where
		case cChipsSelector:
			if ver < v71 {
				return false, "is allowed inside " + where + " only from Flow JSON version 7.1"
			}
		case cFooter:
			if k == inIf && ifDepth > 0 {
				return false, "can only be placed in a first-level 'If', not in a nested one"
			}
		case cIf, cSwitch:
			if k == inSwitch {
				return false, "is not allowed inside 'Switch'"
			}
		}
	}
	return true, ""
}
